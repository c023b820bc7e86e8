/**
 * `req.signIn`: the sign-in session of one request, bound to its `Cookie` header.
 *
 * @module
 */
import type { AuthenticatedFetch, CredentialSource, SignIn, SignInSession } from '@auth/core';

/** The sign-in accessors of one request (`req.signIn`). None of them ever exposes the refresh token. */
export interface RequestSignIn {
  /** The signed-in session, or null (no cookie, tampered, expired or logged out). */
  session(): Promise<SignInSession | null>;
  /**
   * A valid access token, refreshed when needed (one refresh per session at a time, the rotated refresh
   * token stored first). Rejects with `ReauthenticationRequiredError` (401) when not signed in.
   */
  getAccessToken(): Promise<string>;
  /** `fetch` with the session's access token, refreshing and retrying once on a 401. */
  fetch: AuthenticatedFetch;
  /** The session's credentials as a `CredentialSource` (for `@auth/axios`). */
  credentialSource(): CredentialSource;
}

/** Bind the accessors of `signIn` to one request's `Cookie` header. */
export function requestSignIn(signIn: SignIn, cookieHeader: string | undefined): RequestSignIn {
  const cookies = cookieHeader ?? null;
  let fetcher: AuthenticatedFetch | undefined;
  return {
    session: () => signIn.getSession(cookies),
    getAccessToken: () => signIn.getAccessToken(cookies),
    // Built on first use: most requests that pass through never call the API.
    fetch: ((input, init) => {
      fetcher ??= signIn.fetch(cookies);
      return fetcher(input, init);
    }) as AuthenticatedFetch,
    credentialSource: () => signIn.credentialSource(cookies),
  };
}
