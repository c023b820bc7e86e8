/**
 * The signed-in session as server code sees it, with a fresh access token.
 *
 * @module
 */
import { type CookieSource, ReauthenticationRequiredError, type SignIn, type SignInSession } from '@auth/core';

/**
 * A signed-in session. Safe to pass to Client Components except `accessToken` (keep it on the server).
 * The session id is left out on purpose: it is the key to the stored tokens.
 */
export interface NextAuthSession extends Omit<SignInSession, 'sessionId'> {
  /** A valid access token, refreshed if it was about to expire. Absent with `{ accessToken: false }`. */
  accessToken?: string;
}

/** Options of {@link loadSession}. */
export interface LoadSessionOptions {
  /** Also return a fresh access token (may refresh). Default true. */
  accessToken?: boolean;
}

/**
 * The session for a `Cookie` header (or a request carrying one), or null when signed out.
 *
 * Tokens live in the token store keyed by the session id sealed in the cookie, and the cookie never
 * changes after sign-in: a refresh here writes the rotated refresh token to the store, not to a cookie.
 * So any context may refresh, including one that cannot set cookies (a Server Component), and concurrent
 * callers share the core's single-flight refresh. A refresh token the server no longer accepts signs the
 * session out (null); other failures (the authorization server is down) are thrown.
 */
export async function loadSession(
  signIn: Pick<SignIn, 'getSession' | 'getAccessToken'>,
  cookies: CookieSource,
  options: LoadSessionOptions = {},
): Promise<NextAuthSession | null> {
  const found = await signIn.getSession(cookies);
  if (!found) return null;
  const { sessionId: _sessionId, ...session } = found;
  if (options.accessToken === false) return session;
  try {
    return { ...session, accessToken: await signIn.getAccessToken(cookies) };
  } catch (err) {
    if (err instanceof ReauthenticationRequiredError) return null;
    throw err;
  }
}
