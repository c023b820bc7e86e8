/**
 * Authorization server metadata (RFC 8414).
 *
 * @module
 */
import type { EndpointPaths } from './endpoint-paths.js';
import type { ResolvedOAuthOptions } from './oauth-options.js';
import type { GrantType } from '../store.js';

/** The RFC 8414 document: `issuer` is exactly the configured issuer. */
export function buildMetadata(
  issuer: string,
  options: ResolvedOAuthOptions,
  paths: EndpointPaths,
  grantTypes: readonly GrantType[],
  signingAlgorithms: readonly string[] | null,
): Record<string, unknown> {
  const secretMethods = ['client_secret_basic', 'client_secret_post'];
  return {
    issuer,
    authorization_endpoint: paths.url('authorize'),
    token_endpoint: paths.url('token'),
    revocation_endpoint: paths.url('revoke'),
    introspection_endpoint: paths.url('introspect'),
    ...(signingAlgorithms ? { jwks_uri: paths.url('jwks') } : {}),
    ...(options.scopesSupported ? { scopes_supported: [...options.scopesSupported] } : {}),
    response_types_supported: ['code'],
    response_modes_supported: ['query', 'form_post'],
    grant_types_supported: [...grantTypes],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: [...secretMethods, 'none'],
    revocation_endpoint_auth_methods_supported: [...secretMethods, 'none'],
    introspection_endpoint_auth_methods_supported: secretMethods,
    authorization_response_iss_parameter_supported: true,
    ...(signingAlgorithms ? { access_token_signing_alg_values_supported: [...signingAlgorithms] } : {}),
  };
}
