/**
 * The one interface every way of authenticating an outgoing request implements: static API keys,
 * bearer tokens, `Secret` client secrets and OAuth token managers. `authFetch` and the framework
 * adapters only ever talk to a {@link CredentialSource}.
 *
 * @module
 */

/** What to add to an outgoing request to authenticate it. */
export interface AppliedCredential {
  /** Headers to set (names as the API documents them; HTTP treats them case-insensitively). */
  readonly headers: Readonly<Record<string, string>>;
  /** Query parameters to set on the request URL (legacy API keys). */
  readonly query: Readonly<Record<string, string>>;
  /**
   * The credential value that was applied. Passed back to {@link CredentialSource.renew} so renewals
   * can be deduplicated by the value the server rejected. A secret: never log it.
   */
  readonly token: string;
  /** The subject (user or session) the credential was obtained for, if any. */
  readonly subject: string | undefined;
}

/** Options for {@link CredentialSource.credential}. */
export interface CredentialRequestOptions {
  /** Delegated credentials: the user or session the request acts for. Ignored by static sources. */
  subject?: string;
}

/**
 * A source of request credentials.
 *
 * @example
 * ```ts
 * const source = apiKey({ key, businessId, userId });
 * const { headers } = await source.credential();
 * await fetch(url, { headers });
 * ```
 */
export interface CredentialSource {
  /** What scheme this source produces. */
  readonly scheme: 'api_key' | 'bearer' | 'secret' | 'oauth';
  /** Whether {@link renew} can ever produce a different credential. */
  readonly renewable: boolean;
  /** The credential to apply to the next request. */
  credential(options?: CredentialRequestOptions): Promise<AppliedCredential>;
  /**
   * The credential {@link credential} would resolve to, when it is at hand without waiting, or
   * `undefined` (then call `credential`). Optional; for interceptors, so a request whose credential is
   * known goes on without a promise. Static sources always answer; a token manager answers with what it
   * last handed out for the subject while that token is fresh, and never with a token it renewed,
   * replaced, invalidated or revoked since.
   *
   * The sources of this package define it as a non-enumerable property, so a source made by spreading one
   * of them and replacing `credential` (`{ ...bearer(t), credential: mine }`) does not inherit an answer
   * that would contradict its own `credential`. Use {@link withCredentialNow} to do the same.
   */
  credentialNow?(options?: CredentialRequestOptions): AppliedCredential | undefined;
  /**
   * The API answered 401 to a request that carried `rejected`. Renewable sources renew at most once per
   * rejected value (concurrent callers with the same rejected value share one renewal; a caller whose
   * value was already replaced gets the newer credential without a new renewal) and return the
   * credential to retry with. Static sources return `null`: the 401 is the answer.
   */
  renew(rejected: AppliedCredential): Promise<AppliedCredential | null>;
}

/** Build the {@link AppliedCredential} for an `Authorization` header value. */
export function authorizationCredential(
  scheme: string,
  token: string,
  subject: string | undefined,
): AppliedCredential {
  return { headers: { Authorization: `${scheme} ${token}` }, query: {}, token, subject };
}

/**
 * Give `source` its `credentialNow`, as a non-enumerable property (see {@link CredentialSource.credentialNow}):
 * spreading the source into another does not copy it.
 */
export function withCredentialNow<S extends CredentialSource>(
  source: S,
  credentialNow: NonNullable<CredentialSource['credentialNow']>,
): S {
  Object.defineProperty(source, 'credentialNow', { value: credentialNow, enumerable: false, writable: true, configurable: true });
  return source;
}
