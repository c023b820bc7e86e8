/**
 * Redirecting signed-out page requests to login from `proxy.ts` (Next.js 16) or `middleware.ts`
 * (Next.js 15). A convenience for pages, not a security boundary: data must still be protected where it
 * is read (`auth()`, `withAuth`), as a proxy can be skipped (CVE-2025-29927) or not match a path.
 *
 * @module
 */
import { safeReturnTo } from '@auth/core';

/** Options of {@link authProxy}. */
export interface AuthProxyOptions {
  /** Whether the request's `Cookie` header carries a session. */
  isSignedIn(cookieHeader: string | null): boolean | Promise<boolean>;
  /** Where signed-out page requests go; `?returnTo=<path>` is added. Example: `/auth/login`. */
  loginPath: string;
  /**
   * Paths never redirected: each matches itself and everything below it (`/docs` matches `/docs/a`,
   * not `/docsx`). The login path is always public.
   */
  publicPaths?: readonly string[];
}

/** A `proxy` / `middleware` function: a redirect, or `undefined` to let the request through. */
export type AuthProxy = (request: Request) => Promise<Response | undefined>;

function under(pathname: string, prefix: string): boolean {
  const p = prefix.length > 1 && prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  return p === '/' || pathname === p || pathname.startsWith(`${p}/`);
}

/**
 * Build a proxy that sends signed-out `GET`/`HEAD` requests to the login page with a `returnTo` of the
 * page asked for (307). Other methods pass through: API routes answer with 401 themselves, and a
 * redirect would be the wrong answer to a `fetch` or a Server Action. Next.js internals (`/_next/...`)
 * always pass.
 *
 * Use `createNextAuth(...).proxy()` for the sign-in routes; this lower-level form takes any check.
 *
 * @example
 * ```ts
 * // proxy.ts (Next.js 16)
 * export const proxy = authProxy({ isSignedIn: (cookie) => cookie !== null, loginPath: '/auth/login' });
 * export const config = { matcher: ['/dashboard/:path*'] };
 * ```
 */
export function authProxy(options: AuthProxyOptions): AuthProxy {
  const publicPaths = [options.loginPath, ...(options.publicPaths ?? [])];
  return async function authProxy(request) {
    if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
    const url = new URL(request.url);
    if (url.pathname.startsWith('/_next/') || publicPaths.some((p) => under(url.pathname, p))) return undefined;
    if (await options.isSignedIn(request.headers.get('cookie'))) return undefined;
    const login = new URL(options.loginPath, url);
    // The login route refuses a returnTo that is not a plain same-site path; leave it out rather than fail.
    const returnTo = safeReturnTo(url.pathname + url.search);
    if (returnTo !== null) login.searchParams.set('returnTo', returnTo);
    return new Response(null, { status: 307, headers: { location: login.href, 'cache-control': 'no-store' } });
  };
}
