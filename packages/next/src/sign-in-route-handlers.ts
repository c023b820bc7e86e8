/**
 * The sign-in routes (login, callback, logout, session) as the `{ GET, POST }` of one catch-all route file.
 *
 * @module
 */
import type { SignIn } from '@auth/core';

/** A Route Handler of the sign-in routes. */
export type SignInRouteHandler = (request: Request) => Promise<Response>;

/** `{ GET, POST }` to export from `app/auth/[...auth]/route.ts`. */
export interface SignInRouteHandlers {
  /** `/login`, the `query` callback, `/session` (and `/logout` when `allowGetLogout`). */
  GET: SignInRouteHandler;
  /** The `form_post` callback and `/logout`. */
  POST: SignInRouteHandler;
}

/**
 * Route Handlers that hand every request to `signIn.handle`. The file's folder must match the sign-in
 * `basePath` (`/auth` by default: `app/auth/[...auth]/route.ts`); other paths under it get a 404 JSON.
 *
 * @example
 * ```ts
 * // app/auth/[...auth]/route.ts
 * export const { GET, POST } = signInRouteHandlers(signIn);
 * ```
 */
export function signInRouteHandlers(signIn: Pick<SignIn, 'handle'>): SignInRouteHandlers {
  // Next.js leaves Route Handler bodies unread, so the core reads the form_post / logout form itself.
  const serve: SignInRouteHandler = async function signInRoute(request) {
    return signIn.handle(request);
  };
  return { GET: serve, POST: serve };
}
