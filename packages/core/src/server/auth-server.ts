import { createServerContext, type InvalidationBus, type ServerContext, type ServerCoreOptions } from './context.js';
import { createCredentialManagers, type CredentialManagers } from './credentials/index.js';
import { createSessionCookies, type SessionCookieOptions, type SessionCookies } from './cookies/session-cookies.js';
import { createOAuthServer, type OAuthServer, type OAuthServerOptions } from './oauth/oauth-server.js';
import { createVerifier, type Verifier, type VerifierMethods } from './verify/verifier.js';

/** Options of {@link createAuthServer}. */
export interface AuthServerOptions extends ServerCoreOptions {
  /** Which schemes `verify` accepts, and how. */
  methods?: VerifierMethods;
  /** Session cookies (sealed and encrypted). */
  cookies?: SessionCookieOptions;
  /** The OAuth 2.0 authorization server: interaction (login/consent), grants, token format. */
  oauth?: OAuthServerOptions;
  /** Cross-process revocation bus (see the Redis store). Default: in-process only. */
  invalidation?: InvalidationBus;
}

/** The server half of `@auth/core`: verification, credential lifecycle and the authorization server. */
export interface AuthServer extends CredentialManagers {
  /** Verify a request's credentials (the per-request hot path). See {@link Verifier.verify}. */
  verify: Verifier['verify'];
  /**
   * The principal of a warm request, settled without waiting, or `undefined` (then call `verify`). For
   * adapters. See {@link Verifier.verifyWarm}. Not enumerable: `{ ...auth, verify: mine }` does not
   * carry it, so adapters given such a wrapper always call the wrapper's `verify`.
   */
  verifyWarm: Verifier['verifyWarm'];
  /** The OAuth 2.0 endpoints as one Web `Request -> Response` handler. */
  handle: OAuthServer['handle'];
  /** The authorization server. */
  oauth: OAuthServer;
  /** Session cookies: issue, read and clear sealed session cookies. */
  sessions: SessionCookies;
  /** Shared context (store, clock, hashing). */
  context: ServerContext;
  /** Flush pending writes (last-used times) and stop timers. Does not close the store. */
  close(): Promise<void>;
}

/**
 * Create the server half: one object that verifies every enabled scheme, issues and manages
 * credentials, and serves the OAuth 2.0 authorization server.
 *
 * @example
 * ```ts
 * import { createAuthServer, memoryAuthStore } from '@auth/core';
 *
 * const auth = createAuthServer({
 *   issuer: 'https://api.example.com',
 *   store: memoryAuthStore(),
 *   secrets: [process.env.AUTH_SECRET!],
 *   methods: { apiKey: true, bearer: true },
 * });
 * const principal = await auth.verify((name) => req.headers[name]);
 * ```
 */
export function createAuthServer(options: AuthServerOptions): AuthServer {
  const context = createServerContext(options, options.invalidation);
  const sessions = createSessionCookies(context, options.cookies);
  const oauth = createOAuthServer(context, options.oauth, { sessions });
  const verifier = createVerifier(context, options.methods, { sessions, oauth });
  const managers = createCredentialManagers(context);
  const server = {
    ...managers,
    verify: verifier.verify,
    handle: oauth.handle,
    oauth,
    sessions,
    context,
    async close() {
      oauth.close();
      await verifier.close();
    },
  } as AuthServer;
  // Non-enumerable, so a wrapper made by spreading the server and replacing `verify`
  // (`{ ...auth, verify: mine }`) is not bypassed by an adapter's warm path.
  Object.defineProperty(server, 'verifyWarm', { value: verifier.verifyWarm, enumerable: false, writable: true, configurable: true });
  return server;
}
