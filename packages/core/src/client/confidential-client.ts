import { ConfigError } from '../errors.js';
import { scopeString, type ScopeOption } from './grant.js';
import { assertNonEmpty } from './header-value.js';
import { type HttpOptions, resolveHttpOptions } from './http-options.js';
import { endpointResolver, type TokenEndpointOptions } from './server-endpoints.js';
import { createTokenEndpointClient, type TokenEndpointClient } from './token-endpoint-client.js';

/** What a grant made by a confidential client (id + secret) is configured with. */
export type ConfidentialClientOptions = TokenEndpointOptions &
  HttpOptions & {
    /** Client id (seed 001: the API key used in `Authorization: Basic base64(key:secret)`). */
    clientId: string;
    /** Client secret (seed 001: the API secret key). */
    clientSecret: string;
    scope?: ScopeOption;
    /** How the client authenticates. Default `client_secret_basic` (what seed 001 requires). */
    clientAuth?: 'client_secret_basic' | 'client_secret_post';
  };

/**
 * The setup the client-secret grants share (client credentials, password): validate the client's
 * options, resolve the token endpoint, and build a token-endpoint client that redacts `secrets`.
 */
export function confidentialTokenClient(
  grantName: string,
  options: ConfidentialClientOptions,
  secrets: readonly string[],
): { client: TokenEndpointClient; endpointIdentity: string; scope: string | undefined } {
  assertNonEmpty(options.clientId, `${grantName}: clientId`);
  assertNonEmpty(options.clientSecret, `${grantName}: clientSecret`);
  const method = options.clientAuth ?? 'client_secret_basic';
  if (method !== 'client_secret_basic' && method !== 'client_secret_post') {
    throw new ConfigError(`${grantName}: clientAuth must be client_secret_basic or client_secret_post`);
  }
  const endpoints = endpointResolver(options, options, false);
  const client = createTokenEndpointClient({
    endpoints: endpoints.resolve,
    auth: { clientId: options.clientId, clientSecret: options.clientSecret, method },
    http: resolveHttpOptions(options),
    secrets: [options.clientSecret, ...secrets],
  });
  return { client, endpointIdentity: endpoints.identity, scope: scopeString(options.scope) };
}
