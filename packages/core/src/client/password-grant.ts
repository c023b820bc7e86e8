import type { Grant } from './grant.js';
import { assertNonEmpty } from './header-value.js';
import { type ConfidentialClientOptions, confidentialTokenClient } from './confidential-client.js';

/** Options for {@link passwordGrant}. */
export type PasswordGrantOptions = ConfidentialClientOptions & {
  /** The account's username (seed 001: the e-mail used to sign in). */
  username: string;
  password: string;
};

/**
 * The resource owner password credentials grant (RFC 6749 section 4.3) with HTTP Basic client
 * authentication. Servers of this kind often send `expires_in` as a string and no refresh token: both
 * are handled, and the token manager re-runs the grant on expiry.
 *
 * @example
 * ```ts
 * const tokens = createTokenManager(
 *   passwordGrant({ tokenEndpoint: 'https://api.kayzen.io/v1/authentication/token', clientId: apiKey,
 *     clientSecret: apiSecret, username, password }),
 * );
 * const token = await tokens.getAccessToken();
 * ```
 */
export function passwordGrant(options: PasswordGrantOptions): Grant {
  assertNonEmpty(options.username, 'passwordGrant: username');
  assertNonEmpty(options.password, 'passwordGrant: password');
  const { client, endpointIdentity, scope } = confidentialTokenClient('passwordGrant', options, [options.password]);
  const params: Record<string, string> = {
    grant_type: 'password',
    username: options.username,
    password: options.password,
  };
  if (scope) params.scope = scope;
  return {
    grantType: 'password',
    identity: JSON.stringify(['password', endpointIdentity, options.clientId, options.username, scope ?? '']),
    requestToken: () => client.requestTokens(params, { idempotent: true }),
    refresh: (refreshToken) => client.refresh(refreshToken),
    revokeToken: (token, hint) => client.revoke(token, hint),
  };
}
