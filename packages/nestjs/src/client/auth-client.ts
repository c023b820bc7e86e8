import { type AuthenticatedFetch, authFetch, ConfigError, type CredentialSource } from '@auth/core';

/**
 * Options of `AuthClientModule.register()`: how to authenticate calls to one API.
 *
 * @example
 * ```ts
 * const options: AuthClientOptions = {
 *   source: createTokenManager(clientCredentials({ tokenEndpoint, clientId, clientSecret })),
 * };
 * ```
 */
export interface AuthClientOptions {
  /**
   * The credentials: `apiKey(...)`, `bearer(...)`, `secret(...)` or a token manager
   * (`createTokenManager(grant)`), which caches, refreshes (single-flight) and rotates tokens.
   */
  source: CredentialSource;
  /** The underlying fetch (tests, proxies). Default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Default subject (user or session) for delegated tokens; a call's `subject` overrides it. */
  subject?: string;
  /** Redirects followed before the redirect itself is returned. Default 20. */
  maxRedirects?: number;
}

/** An authenticated client for one API, injected with `@InjectAuthClient(name)`. */
export interface AuthClient {
  /** The name it was registered under. */
  readonly name: string;
  /** The credential source, for other clients (`@auth/axios` `attach`). */
  readonly source: CredentialSource;
  /**
   * `fetch` with the credential attached; on a 401 a renewable source renews once and the request is
   * retried once. The credential never follows a cross-origin redirect.
   */
  readonly fetch: AuthenticatedFetch;
  /** The credential value the next request would carry (an access token, renewed if due). A secret. */
  getAccessToken(subject?: string): Promise<string>;
}

/**
 * Build the client `AuthClientModule` provides. Exposed for use outside Nest's injector (scripts, tests).
 *
 * @example
 * ```ts
 * const crm = createAuthClient('crm', { source: bearer(process.env.CRM_TOKEN!) });
 * const res = await crm.fetch('https://crm.example.com/v1/contacts');
 * ```
 */
export function createAuthClient(name: string, options: AuthClientOptions): AuthClient {
  if (typeof options !== 'object' || options === null || typeof options.source?.credential !== 'function') {
    throw new ConfigError(`AuthClientModule "${name}": \`source\` must be a credential source`);
  }
  const { source } = options;
  const fetch = authFetch(source, { fetch: options.fetch, subject: options.subject, maxRedirects: options.maxRedirects });
  return {
    name,
    source,
    fetch,
    async getAccessToken(subject = options.subject) {
      return (await source.credential({ subject })).token;
    },
  };
}
