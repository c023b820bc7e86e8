import type { Grant } from './grant.js';
import { type ConfidentialClientOptions, confidentialTokenClient } from './confidential-client.js';

/** Options for {@link clientCredentials}. */
export type ClientCredentialsOptions = ConfidentialClientOptions & {
  /** Extra token request parameters (`resource`, `audience`...). */
  extraParams?: Record<string, string>;
};

/**
 * The OAuth 2.0 client credentials grant (RFC 6749 section 4.4): the application acts on its own behalf.
 * There is no refresh token; the token manager re-runs the grant on expiry.
 *
 * @example
 * ```ts
 * const tokens = createTokenManager(
 *   clientCredentials({ tokenEndpoint: 'https://api.example.com/oauth2/token', clientId, clientSecret, scope: 'read' }),
 * );
 * const api = authFetch(tokens);
 * ```
 */
export function clientCredentials(options: ClientCredentialsOptions): Grant {
  const { client, endpointIdentity, scope } = confidentialTokenClient('clientCredentials', options, []);
  const params: Record<string, string> = { ...options.extraParams, grant_type: 'client_credentials' };
  if (scope) params.scope = scope;
  return {
    grantType: 'client_credentials',
    identity: JSON.stringify(['client_credentials', endpointIdentity, options.clientId, scope ?? '', options.extraParams ?? {}]),
    requestToken: () => client.requestTokens(params, { idempotent: true }),
    refresh: (refreshToken) => client.refresh(refreshToken),
    revokeToken: (token, hint) => client.revoke(token, hint),
  };
}
