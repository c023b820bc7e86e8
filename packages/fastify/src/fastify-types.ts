import type { Principal, SignIn } from '@auth/core';
import type { AuthenticateHook } from './authenticate.js';
import type { RouteAuthConfig } from './route-config.js';
import type { RequestSignIn } from './sign-in-accessor.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling, once authenticated; null on public routes and before the hook ran. */
    auth: Principal | null;
    /** The sign-in session of this request (needs the `signIn` option). */
    readonly signIn: RequestSignIn;
  }
  interface FastifyInstance {
    /** The authentication hook, for `onRequest` / `preHandler` of routes or contexts (needs `auth`). */
    readonly authenticate: AuthenticateHook;
    /** The sign-in routes and accessors given as the `signIn` option. */
    readonly signIn: SignIn;
  }
  interface FastifyContextConfig {
    /** What this route asks of the caller: `false` for public, `{ scopes, allow }` to require more. */
    auth?: RouteAuthConfig;
  }
}
