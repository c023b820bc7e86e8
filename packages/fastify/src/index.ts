/**
 * `@auth/fastify`: the Fastify plugin for `@auth/core`. Protect routes, mount the authorization server,
 * sign users in to another API and serve credential management, the Fastify way.
 *
 * Everything `@auth/core` exports is re-exported, so one import is enough.
 *
 * @example
 * ```ts
 * import fastifyAuth, { createAuthServer, memoryAuthStore } from '@auth/fastify';
 *
 * await app.register(fastifyAuth, { auth: createAuthServer({ ... }) });
 * app.get('/me', async (request) => request.auth);
 * ```
 *
 * @module
 */
import './fastify-types.js';
import { fastifyAuth } from './plugin.js';

export * from '@auth/core';
export { fastifyAuth };
export type { AuthenticateHook } from './authenticate.js';
export type { FastifyAuthOptions, FastifyAuthServerOptions, FastifySignInOnlyOptions } from './options.js';
export type { RouteAuthConfig, RouteAuthRequirements } from './route-config.js';
export type { RequestSignIn } from './sign-in-accessor.js';
export { sendAuthError } from './send-error.js';
export default fastifyAuth;
