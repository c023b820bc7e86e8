import { ConfigError } from '../errors.js';
import type { Grant, ScopeOption } from './grant.js';
import { scopeString } from './grant.js';
import { assertNonEmpty } from './header-value.js';
import { type HttpOptions, resolveHttpOptions } from './http-options.js';
import { endpointResolver, type TokenEndpointOptions } from './server-endpoints.js';
import { createTokenEndpointClient } from './token-endpoint-client.js';

/** Options for {@link clientCredentials}. */
export type ClientCredentialsOptions = TokenEndpointOptions &
  HttpOptions & {
    clientId: string;
    clientSecret: string;
    scope?: ScopeOption;
    /** How the client authenticates. Default `client_secret_basic`. */
    clientAuth?: 'client_secret_basic' | 'client_secret_post';
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
  assertNonEmpty(options.clientId, 'clientCredentials: clientId');
  assertNonEmpty(options.clientSecret, 'clientCredentials: clientSecret');
  const method = options.clientAuth ?? 'client_secret_basic';
  if (method !== 'client_secret_basic' && method !== 'client_secret_post') {
    throw new ConfigError('clientCredentials: clientAuth must be client_secret_basic or client_secret_post');
  }
  const http = resolveHttpOptions(options);
  const endpoints = endpointResolver(options, options, false);
  const scope = scopeString(options.scope);
  const client = createTokenEndpointClient({
    endpoints: endpoints.resolve,
    auth: { clientId: options.clientId, clientSecret: options.clientSecret, method },
    http,
    secrets: [options.clientSecret],
  });
  const params: Record<string, string> = { ...options.extraParams, grant_type: 'client_credentials' };
  if (scope) params.scope = scope;
  return {
    grantType: 'client_credentials',
    identity: JSON.stringify(['client_credentials', endpoints.identity, options.clientId, scope ?? '', options.extraParams ?? {}]),
    requestToken: () => client.requestTokens(params, { idempotent: true }),
    refresh: (refreshToken) => client.refresh(refreshToken),
    revokeToken: (token, hint) => client.revoke(token, hint),
  };
}
