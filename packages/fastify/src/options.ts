import { type AuthServer, ConfigError, type ManagementHandler, type SignIn } from '@auth/core';

/**
 * Options of the `@auth/fastify` plugin: an API (`auth`, with optional authorization server, sign-in and
 * management), or an app that only signs its users in to another API (`signIn` alone).
 *
 * @example
 * ```ts
 * await app.register(fastifyAuth, { auth, authorizationServer: true, management: createManagementHandler(auth) });
 * await app.register(fastifyAuth, { signIn }); // a client app: no API of its own
 * ```
 */
export type FastifyAuthOptions = FastifyAuthServerOptions | FastifySignInOnlyOptions;

/** Options of an app that is an API (verifies callers). */
export interface FastifyAuthServerOptions {
  /** The server half, from `createAuthServer(...)`. */
  auth: AuthServer;
  /**
   * Authenticate every route registered after the plugin, in its context and below, unless the route
   * opts out with `config: { auth: false }`. With false, add `fastify.authenticate` where needed.
   * Default true: public routes opt out explicitly.
   */
  protectAllRoutes?: boolean;
  /**
   * Where the global hook runs. `onRequest` (default) refuses bad credentials before any body is read;
   * `preHandler` lets a parsed form carry the CSRF field of cookie sessions.
   */
  hook?: 'onRequest' | 'preHandler';
  /**
   * Mount the OAuth 2.0 authorization server (`auth.oauth.paths`: authorize, token, revoke, introspect,
   * metadata, JWKS, built-in login and consent). Default false.
   */
  authorizationServer?: boolean;
  /** Sign users in to another API: mounts `createSignIn(...)`'s routes and `request.signIn`. */
  signIn?: SignIn;
  /**
   * Credential management for the signed-in user: mounts `createManagementHandler(auth, ...)` under its
   * base path, behind authentication (whatever `protectAllRoutes` says). Off unless given.
   */
  management?: ManagementHandler;
}

/** Options of an app that only signs users in to another API: no `auth`, nothing verified here. */
export interface FastifySignInOnlyOptions {
  auth?: undefined;
  /** The sign-in routes and accessors, from `createSignIn(...)`. */
  signIn: SignIn;
  protectAllRoutes?: false;
  hook?: undefined;
  authorizationServer?: false;
  management?: undefined;
}

/** Options after validation. */
export interface ResolvedFastifyAuthOptions {
  /** Null for a sign-in-only registration. */
  auth: AuthServer | null;
  protectAllRoutes: boolean;
  hook: 'onRequest' | 'preHandler';
  authorizationServer: boolean;
  signIn: SignIn | null;
  management: ManagementHandler | null;
}

const KNOWN = new Set(['auth', 'protectAllRoutes', 'hook', 'authorizationServer', 'signIn', 'management']);
/** Options Fastify itself puts on every registration. */
const FASTIFY_REGISTER_OPTIONS = new Set(['prefix', 'logLevel', 'logSerializers']);

function isFunction(value: unknown): boolean {
  return typeof value === 'function';
}

function optionalBoolean(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ConfigError(`@auth/fastify: \`${name}\` must be true or false`);
  return value;
}

/** Validate the plugin options at registration. Throws `ConfigError` with what to change. */
export function resolveOptions(options: unknown): ResolvedFastifyAuthOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError('@auth/fastify: options are required: register(fastifyAuth, { auth: createAuthServer(...) })');
  }
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!KNOWN.has(key) && !FASTIFY_REGISTER_OPTIONS.has(key)) {
      throw new ConfigError(`@auth/fastify: unknown option \`${key}\` (expected ${[...KNOWN].join(', ')})`);
    }
  }
  if (o.prefix !== undefined) {
    throw new ConfigError('@auth/fastify: `prefix` does not apply to this plugin; set the paths in the core (issuer path, signIn basePath)');
  }
  const signIn = o.signIn as SignIn | undefined;
  if (signIn !== undefined && (!signIn || !isFunction(signIn.handle) || !isFunction(signIn.getAccessToken) || !signIn.paths)) {
    throw new ConfigError('@auth/fastify: `signIn` must come from createSignIn(...) in @auth/core');
  }
  const auth = o.auth as AuthServer | undefined;
  const signInOnly = auth === undefined && signIn !== undefined && o.authorizationServer !== true && o.management === undefined && o.protectAllRoutes !== true;
  if (!signInOnly && (!auth || typeof auth !== 'object' || !isFunction(auth.verify) || !auth.oauth || !isFunction(auth.oauth.handle) || !auth.sessions)) {
    throw new ConfigError(
      '@auth/fastify: `auth` is required and must come from createAuthServer(...) in @auth/core (only an app that just signs users in, with `signIn` alone, may leave it out)',
    );
  }
  const hook = o.hook ?? 'onRequest';
  if (hook !== 'onRequest' && hook !== 'preHandler') {
    throw new ConfigError('@auth/fastify: `hook` must be "onRequest" or "preHandler"');
  }
  const management = o.management as ManagementHandler | undefined;
  if (management !== undefined && (!management || !isFunction(management.handle) || !isFunction(management.matches) || typeof management.basePath !== 'string')) {
    throw new ConfigError('@auth/fastify: `management` must come from createManagementHandler(auth, ...) in @auth/core');
  }
  return {
    auth: auth ?? null,
    protectAllRoutes: optionalBoolean(o.protectAllRoutes, 'protectAllRoutes', !signInOnly),
    hook,
    authorizationServer: optionalBoolean(o.authorizationServer, 'authorizationServer', false),
    signIn: signIn ?? null,
    management: management ?? null,
  };
}
