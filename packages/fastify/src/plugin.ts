import { ConfigError, type FormBody, nodeHeaderAccessor, type SignIn } from '@auth/core';
import type { FastifyInstance, FastifyPluginAsync, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { createAuthenticate, createRequestVerifier } from './authenticate.js';
import './fastify-types.js';
import { mountWebRoutes } from './mount.js';
import { type FastifyAuthOptions, resolveOptions } from './options.js';
import { assertRouteAuthConfig } from './route-config.js';
import { requestSignIn, type RequestSignIn } from './sign-in-accessor.js';

function signInMissing(): ConfigError {
  return new ConfigError('@auth/fastify: sign-in is not configured; pass `signIn: createSignIn(...)` to the plugin');
}

async function auth(fastify: FastifyInstance, options: FastifyAuthOptions): Promise<void> {
  const o = resolveOptions(options);
  fastify.decorateRequest('auth', null);
  fastify.addHook('onRoute', function checkRouteAuthConfig(route: RouteOptions) {
    assertRouteAuthConfig(route.config?.auth, `${String(route.method)} ${route.url}`);
  });
  const verifyRequest = o.auth ? createRequestVerifier(o.auth) : null;
  const authenticate = verifyRequest ? createAuthenticate(verifyRequest) : null;
  fastify.decorate('authenticate', {
    // Read when routes are declared (`{ onRequest: app.authenticate }`), so a missing `auth` fails at startup.
    getter() {
      if (!authenticate) throw new ConfigError('@auth/fastify: fastify.authenticate needs the `auth` option (createAuthServer(...))');
      return authenticate;
    },
  });
  if (authenticate && o.protectAllRoutes) fastify.addHook(o.hook, authenticate);

  const signIn = o.signIn;
  fastify.decorate('signIn', {
    getter(): SignIn {
      if (!signIn) throw signInMissing();
      return signIn;
    },
  });
  fastify.decorateRequest('signIn', {
    getter(this: import('fastify').FastifyRequest): RequestSignIn {
      if (!signIn) throw signInMissing();
      return requestSignIn(signIn, this);
    },
  });

  if (o.auth && o.authorizationServer) {
    const oauth = o.auth.oauth;
    mountWebRoutes(fastify, {
      name: 'authorizationServerRoutes',
      what: 'authorization server',
      paths: oauth.paths,
      auth: false,
      handle: ({ request, body }) => oauth.handle(request, { body }),
      // Token, revocation, introspection: no Web Request or Response. The raw form parser above leaves the
      // body a string; a host parser's object or Buffer is taken as it is.
      direct: (request, pathname) =>
        oauth.serveBackChannel({
          method: request.method,
          pathname,
          headers: nodeHeaderAccessor(request.raw),
          body: request.body as FormBody,
        }),
    });
  }
  if (signIn) {
    mountWebRoutes(fastify, {
      name: 'signInRoutes',
      what: 'sign-in',
      paths: Object.values(signIn.paths),
      auth: false,
      handle: ({ request, body }) => signIn.handle(request, { body }),
    });
  }
  const management = o.management;
  if (management && verifyRequest) {
    mountWebRoutes(fastify, {
      name: 'managementRoutes',
      what: 'management',
      paths: [],
      subtree: management,
      // Public to the global hook: the route authenticates only once the path is known to be one of its
      // own, so unknown paths under the base stay the host's 404.
      auth: false,
      handle: async ({ request, body }, fastifyRequest) => {
        const principal = fastifyRequest.auth ?? (await verifyRequest(fastifyRequest, undefined));
        fastifyRequest.auth = principal;
        return management.handle(request, { principal, body });
      },
    });
  }
}

/**
 * The `@auth/fastify` plugin: protects routes with `@auth/core`, and mounts the authorization server,
 * the sign-in routes and the credential management routes when asked.
 *
 * Registers `request.auth` (the `Principal`, or null), `fastify.authenticate` (the hook), per-route
 * `config.auth` (`false` for public, `{ scopes, allow }`), `request.signIn` and `fastify.signIn`.
 * Errors are the core's standard responses (RFC 6749 / RFC 6750).
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { createAuthServer, memoryAuthStore } from '@auth/core';
 * import fastifyAuth from '@auth/fastify';
 *
 * const auth = createAuthServer({ issuer: 'https://api.example.com', store: memoryAuthStore(),
 *   secrets: [process.env.AUTH_SECRET!], methods: { apiKey: true, bearer: true } });
 * const app = Fastify();
 * await app.register(fastifyAuth, { auth });
 * app.get('/health', { config: { auth: false } }, async () => ({ ok: true }));
 * app.get('/me', async (request) => ({ userId: request.auth!.userId }));
 * app.post('/items', { config: { auth: { scopes: ['write'] } } }, async () => ({ ok: true }));
 * ```
 */
export const fastifyAuth: FastifyPluginAsync<FastifyAuthOptions> = fp(auth, {
  fastify: '5.x',
  name: '@auth/fastify',
});
