import { ConfigError } from '../errors.js';
import { discover } from './discovery.js';
import { assertEndpointUrl } from './endpoint-url.js';
import type { HttpOptions } from './http-options.js';

/**
 * Where the token (and revocation) endpoints are: either discovered from `issuer`
 * (RFC 8414 / OpenID discovery), or given explicitly.
 */
export type TokenEndpointOptions =
  | { issuer: string; tokenEndpoint?: never; revocationEndpoint?: never }
  | { tokenEndpoint: string; revocationEndpoint?: string; issuer?: string };

/** Endpoints of an authorization server, after discovery if any. */
export interface ServerEndpoints {
  issuer: string | null;
  authorizationEndpoint: string | null;
  tokenEndpoint: string;
  revocationEndpoint: string | null;
  /** RFC 9207 `authorization_response_iss_parameter_supported`. */
  issParameterSupported: boolean;
}

/** Explicit endpoint fields a grant may pass to {@link endpointResolver}. */
export interface EndpointFields {
  issuer?: string | undefined;
  authorizationEndpoint?: string | undefined;
  tokenEndpoint?: string | undefined;
  revocationEndpoint?: string | undefined;
  issParameterSupported?: boolean | undefined;
}

/**
 * Validate endpoint options at construction and return a lazy resolver. Discovery runs on first use and
 * is cached; a failed discovery is not cached, so the next call tries again.
 */
export function endpointResolver(
  fields: EndpointFields,
  http: HttpOptions,
  needsAuthorizationEndpoint: boolean,
): { resolve: () => Promise<ServerEndpoints>; identity: string } {
  if (fields.issuer !== undefined) assertEndpointUrl(fields.issuer, 'issuer');
  if (fields.tokenEndpoint === undefined) {
    if (fields.issuer === undefined) throw new ConfigError('Give either tokenEndpoint or issuer (for discovery)');
    if (fields.authorizationEndpoint !== undefined || fields.revocationEndpoint !== undefined) {
      throw new ConfigError('With issuer discovery, do not give endpoints; give tokenEndpoint to skip discovery');
    }
    const issuer = fields.issuer;
    let pending: Promise<ServerEndpoints> | undefined;
    const resolve = () => {
      pending ??= discover(issuer, http).then(
        (meta) => {
          if (!meta.token_endpoint) throw new ConfigError('The discovered metadata has no token_endpoint');
          if (needsAuthorizationEndpoint && !meta.authorization_endpoint) {
            throw new ConfigError('The discovered metadata has no authorization_endpoint');
          }
          return {
            issuer,
            authorizationEndpoint: meta.authorization_endpoint ?? null,
            tokenEndpoint: meta.token_endpoint,
            revocationEndpoint: meta.revocation_endpoint ?? null,
            issParameterSupported: meta.authorization_response_iss_parameter_supported === true,
          };
        },
        (err: unknown) => {
          pending = undefined;
          throw err;
        },
      );
      return pending;
    };
    return { resolve, identity: `issuer=${issuer}` };
  }
  const tokenEndpoint = assertEndpointUrl(fields.tokenEndpoint, 'tokenEndpoint');
  if (needsAuthorizationEndpoint) {
    if (fields.authorizationEndpoint === undefined) throw new ConfigError('authorizationEndpoint is required');
    assertEndpointUrl(fields.authorizationEndpoint, 'authorizationEndpoint');
  }
  if (fields.revocationEndpoint !== undefined) assertEndpointUrl(fields.revocationEndpoint, 'revocationEndpoint');
  const endpoints: ServerEndpoints = {
    issuer: fields.issuer ?? null,
    authorizationEndpoint: fields.authorizationEndpoint ?? null,
    tokenEndpoint,
    revocationEndpoint: fields.revocationEndpoint ?? null,
    issParameterSupported: fields.issParameterSupported === true,
  };
  return { resolve: async () => endpoints, identity: `token=${tokenEndpoint}` };
}
