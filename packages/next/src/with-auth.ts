/**
 * Protecting Route Handlers: verify whatever credential the request carries (API key headers, Bearer,
 * `Secret`, session cookie) through `auth.verify`, then call the handler with the `Principal`.
 *
 * @module
 */
import { type AuthMethod, type AuthServer, errorToResponse, OAuthError, type Principal } from '@auth/core';

/** The second argument Next.js passes to a Route Handler. */
export interface RouteContext<Params = Record<string, string | string[] | undefined>> {
  params: Promise<Params>;
}

/** What a protected route needs beyond a valid credential. */
export interface WithAuthOptions {
  /** Scopes the route needs; all must be held, else 403 `insufficient_scope`. */
  scopes?: readonly string[];
  /** Schemes this route accepts (e.g. `['secret']`). Default: the verifier's `defaultAllow`. */
  allow?: readonly AuthMethod[];
}

/** A Route Handler that receives the caller's principal next to Next's own context. */
export type ProtectedRouteHandler<Context = RouteContext> = (
  request: Request,
  context: Context & { principal: Principal },
) => Response | Promise<Response>;

/** The wrapped handler, ready to export as `GET`, `POST`... */
export type RouteHandler<Context = RouteContext> = (request: Request, context?: Context) => Promise<Response>;

/** Wraps Route Handlers so they run only for authenticated callers. */
export type WithAuth = <Context extends object = RouteContext>(
  handler: ProtectedRouteHandler<Context>,
  options?: WithAuthOptions,
) => RouteHandler<Context>;

/**
 * Bind route protection to an auth server.
 *
 * Failures (no credential, bad credential, missing scope, missing CSRF token on a cookie-authenticated
 * unsafe request) are answered with the core's standard RFC 6750 responses. An `OAuthError` thrown by
 * the handler itself (say, `ReauthenticationRequiredError` from an upstream token) is rendered the same
 * way; anything else is rethrown for Next.js to handle.
 *
 * Cookie-authenticated `POST`/`PUT`/`PATCH`/`DELETE` requests must send the CSRF token in the
 * `x-csrf-token` header: the wrapper never reads the body, so the handler still can.
 *
 * @example
 * ```ts
 * // app/api/items/route.ts
 * import { withAuth } from '@/lib/auth';   // export const withAuth = createWithAuth(auth);
 *
 * export const POST = withAuth(async (request, { principal }) => {
 *   return Response.json({ createdBy: principal.userId });
 * }, { scopes: ['write'] });
 * ```
 */
export function createWithAuth(auth: Pick<AuthServer, 'verify'>): WithAuth {
  return function withAuth<Context extends object = RouteContext>(
    handler: ProtectedRouteHandler<Context>,
    options: WithAuthOptions = {},
  ): RouteHandler<Context> {
    return async function protectedRoute(request: Request, context?: Context): Promise<Response> {
      let principal: Principal;
      try {
        const url = new URL(request.url);
        principal = await auth.verify((name) => request.headers.get(name), {
          httpMethod: request.method,
          query: (name) => url.searchParams.getAll(name),
          scopes: options.scopes,
          allow: options.allow,
        });
      } catch (err) {
        return errorToResponse(err);
      }
      try {
        return await handler(request, { ...(context as Context), principal });
      } catch (err) {
        if (err instanceof OAuthError) return errorToResponse(err);
        throw err;
      }
    };
  };
}
