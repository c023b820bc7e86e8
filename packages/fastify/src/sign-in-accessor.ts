import type { AuthenticatedFetch, CredentialSource, SignIn, SignInSession } from '@auth/core';
import type { FastifyRequest } from 'fastify';

/**
 * `request.signIn`: the sign-in session of this request (found from its `Cookie` header), with what a
 * handler needs to call the other API on the user's behalf.
 */
export interface RequestSignIn {
  /** The session, or null when the browser is not signed in. Never contains a token. */
  getSession(): Promise<SignInSession | null>;
  /**
   * A valid access token, refreshed if needed (one refresh per session at a time). Rejects with
   * `ReauthenticationRequiredError` (401) when not signed in or when the session can no longer refresh.
   */
  getAccessToken(): Promise<string>;
  /** `fetch` with the session's access token; refreshes and retries once on a 401. */
  fetch: AuthenticatedFetch;
  /** The session's credentials, for `@auth/axios` `attach`. */
  credentialSource(): CredentialSource;
}

/** The `Cookie` header of a request as one string (HTTP/2 may deliver several). */
export function cookieHeader(request: FastifyRequest): string | null {
  const value: unknown = request.headers.cookie;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.join('; ');
  return null;
}

/** Bind `signIn`'s accessors to one request. */
export function requestSignIn(signIn: SignIn, request: FastifyRequest): RequestSignIn {
  const cookies = cookieHeader(request);
  return {
    getSession: () => signIn.getSession(cookies),
    getAccessToken: () => signIn.getAccessToken(cookies),
    fetch: (input, init) => signIn.fetch(cookies)(input, init),
    credentialSource: () => signIn.credentialSource(cookies),
  };
}
