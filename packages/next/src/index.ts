/**
 * `@auth/next`: `@auth/core` in the Next.js App Router (Next.js 15 and 16).
 *
 * - Calling an API for signed-in users: {@link createNextAuth} (catch-all sign-in routes, `auth()` in
 *   server code, a `proxy.ts` helper).
 * - Being an API: {@link createWithAuth} (protect Route Handlers) and {@link createProviderRoutes} (the
 *   authorization server as Route Handlers).
 *
 * Everything from `@auth/core` is re-exported, so one import covers errors, types and factories.
 *
 * @module
 */
export * from '@auth/core';
export { type AuthProxy, type AuthProxyOptions, authProxy } from './auth-proxy.js';
export {
  type AuthOptions,
  createNextAuth,
  type NextAuth,
  type NextAuthOptions,
  type NextAuthProxyOptions,
  type SessionSource,
} from './create-next-auth.js';
export { createProviderRoutes, type ProviderRouteHandler, type ProviderRoutes } from './provider-routes.js';
export { loadSession, type LoadSessionOptions, type NextAuthSession } from './session.js';
export { type SignInRouteHandler, type SignInRouteHandlers, signInRouteHandlers } from './sign-in-route-handlers.js';
export {
  createWithAuth,
  type ProtectedRouteHandler,
  type RouteContext,
  type RouteHandler,
  type WithAuth,
  type WithAuthOptions,
} from './with-auth.js';
