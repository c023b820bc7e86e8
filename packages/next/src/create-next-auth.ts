/**
 * Signing users in to another API from a Next.js App Router app: the catch-all sign-in routes, the
 * session helper for server code, and a proxy that sends signed-out page requests to login.
 *
 * @module
 */
import { type AuthenticatedFetch, type CookieSource, createSignIn, type SignIn, type SignInOptions } from '@auth/core';
import { type AuthProxy, authProxy } from './auth-proxy.js';
import { requestCookieHeader } from './request-cookie-header.js';
import { loadSession, type NextAuthSession } from './session.js';
import { type SignInRouteHandlers, signInRouteHandlers } from './sign-in-route-handlers.js';

/** Options of {@link createNextAuth}: the core's sign-in options, or a sign-in you built yourself. */
export type NextAuthOptions = SignInOptions | { signIn: SignIn };

/** Where a helper reads the session from: omitted in server code (the current request), or explicit. */
export type SessionSource = Exclude<CookieSource, null | undefined>;

/** Options of {@link NextAuth.auth}. */
export interface AuthOptions {
  /** Read this request / `Cookie` header instead of the current request's (`next/headers`). */
  from?: SessionSource;
  /** Also return a fresh access token (may refresh). Default true. */
  accessToken?: boolean;
}

/** Options of {@link NextAuth.proxy}. */
export interface NextAuthProxyOptions {
  /** Paths never redirected (each with everything below it). The sign-in routes are always public. */
  publicPaths?: readonly string[];
}

/** What {@link createNextAuth} returns. */
export interface NextAuth {
  /** `{ GET, POST }` for `app/auth/[...auth]/route.ts` (the folder must match `basePath`). */
  handlers: SignInRouteHandlers;
  /**
   * The signed-in session with a fresh access token, or null. Works in Server Components, Server Actions
   * and Route Handlers; see {@link loadSession} for why refreshing from a Server Component is safe.
   */
  auth(options?: AuthOptions): Promise<NextAuthSession | null>;
  /** A valid access token; rejects with `ReauthenticationRequiredError` (401) when signed out. */
  getAccessToken(from?: SessionSource): Promise<string>;
  /** `fetch` with the session's access token (refresh and one retry on 401). */
  fetch(input: string | URL | Request, init?: RequestInit & { from?: SessionSource }): Promise<Response>;
  /**
   * A `proxy` / `middleware` function that redirects signed-out page requests to login. It checks only
   * that the sealed session cookie is present and opens with the secrets (no store call), so a session
   * signed out elsewhere still passes here and is caught by `auth()` on the page.
   */
  proxy(options?: NextAuthProxyOptions): AuthProxy;
  /** The core sign-in: paths, token manager, `credentialSource` for `@auth/axios`. */
  signIn: SignIn;
}

async function cookieHeaderOf(from: SessionSource | undefined): Promise<CookieSource> {
  return from === undefined ? requestCookieHeader() : from;
}

/**
 * Wire the core's `createSignIn` into the App Router.
 *
 * @example
 * ```ts
 * // lib/auth.ts
 * import { authorizationCode, createNextAuth } from '@auth/next';
 *
 * export const { handlers, auth, proxy } = createNextAuth({
 *   grant: authorizationCode({
 *     issuer: 'https://api.example.com', clientId: process.env.CLIENT_ID!, clientSecret: process.env.CLIENT_SECRET!,
 *     redirectUri: 'https://app.example.com/auth/callback', scope: 'read', responseMode: 'form_post',
 *   }),
 *   secrets: [process.env.SIGN_IN_SECRET!],
 * });
 *
 * // app/auth/[...auth]/route.ts
 * export const { GET, POST } = handlers;
 *
 * // app/page.tsx (a Server Component)
 * const session = await auth();
 * ```
 */
export function createNextAuth(options: NextAuthOptions): NextAuth {
  const signIn = 'signIn' in options ? options.signIn : createSignIn(options);
  const signInPaths = Object.values(signIn.paths);
  return {
    handlers: signInRouteHandlers(signIn),
    async auth(authOptions = {}) {
      return loadSession(signIn, await cookieHeaderOf(authOptions.from), authOptions);
    },
    async getAccessToken(from) {
      return signIn.getAccessToken(await cookieHeaderOf(from));
    },
    async fetch(input, init = {}) {
      const { from, ...rest } = init;
      const api: AuthenticatedFetch = signIn.fetch(await cookieHeaderOf(from));
      return api(input, rest);
    },
    proxy(proxyOptions = {}) {
      return authProxy({
        isSignedIn: (cookieHeader) => signIn.hasSessionCookie(cookieHeader),
        loginPath: signIn.paths.login,
        publicPaths: [...signInPaths, ...(proxyOptions.publicPaths ?? [])],
      });
    },
    signIn,
  };
}
