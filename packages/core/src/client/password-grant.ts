import { ConfigError } from '../errors.js';
import type { Grant, ScopeOption } from './grant.js';
import { scopeString } from './grant.js';
import { assertNonEmpty } from './header-value.js';
import { type HttpOptions, resolveHttpOptions } from './http-options.js';
import { endpointResolver, type TokenEndpointOptions } from './server-endpoints.js';
import { createTokenEndpointClient } from './token-endpoint-client.js';

/** Options for {@link passwordGrant}. */
export type PasswordGrantOptions = TokenEndpointOptions &
  HttpOptions & {
    /** The API key (client id) for `Authorization: Basic base64(key:secret)`. */
    clientId: string;
    /** The API secret key (client secret). */
    clientSecret: string;
    username: string;
    password: string;
    scope?: ScopeOption;
    /** How the client authenticates. Default `client_secret_basic`, as seed 001 requires. */
    clientAuth?: 'client_secret_basic' | 'client_secret_post';
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
  assertNonEmpty(options.clientId, 'passwordGrant: clientId');
  assertNonEmpty(options.clientSecret, 'passwordGrant: clientSecret');
  assertNonEmpty(options.username, 'passwordGrant: username');
  assertNonEmpty(options.password, 'passwordGrant: password');
  const method = options.clientAuth ?? 'client_secret_basic';
  if (method !== 'client_secret_basic' && method !== 'client_secret_post') {
    throw new ConfigError('passwordGrant: clientAuth must be client_secret_basic or client_secret_post');
  }
  const http = resolveHttpOptions(options);
  const endpoints = endpointResolver(options, options, false);
  const scope = scopeString(options.scope);
  const client = createTokenEndpointClient({
    endpoints: endpoints.resolve,
    auth: { clientId: options.clientId, clientSecret: options.clientSecret, method },
    http,
    secrets: [options.clientSecret, options.password],
  });
  const params: Record<string, string> = {
    grant_type: 'password',
    username: options.username,
    password: options.password,
  };
  if (scope) params.scope = scope;
  return {
    grantType: 'password',
    identity: JSON.stringify(['password', endpoints.identity, options.clientId, options.username, scope ?? '']),
    requestToken: () => client.requestTokens(params, { idempotent: true }),
    refresh: (refreshToken) => client.refresh(refreshToken),
    revokeToken: (token, hint) => client.revoke(token, hint),
  };
}
