import { ConfigError, InvalidResponseError, OAuthError } from '../errors.js';
import { assertEndpointUrl } from './endpoint-url.js';
import { type HttpOptions, resolveHttpOptions, type ResolvedHttpOptions } from './http-options.js';
import { expectObject, sendOAuthRequest } from './oauth-http.js';

/** Authorization server metadata (RFC 8414 / OpenID Connect Discovery), the fields this library reads. */
export interface AuthorizationServerMetadata {
  issuer: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
  revocation_endpoint?: string;
  /** RFC 9207: the server sends `iss` in authorization responses; the client must then require it. */
  authorization_response_iss_parameter_supported?: boolean;
  code_challenge_methods_supported?: string[];
  grant_types_supported?: string[];
  [field: string]: unknown;
}

const URL_FIELDS = ['authorization_endpoint', 'token_endpoint', 'revocation_endpoint'] as const;

/** RFC 8414 section 3: the well-known segment goes between the host and the issuer's path. */
function rfc8414Url(issuer: URL): string {
  const path = issuer.pathname === '/' ? '' : issuer.pathname.replace(/\/$/, '');
  return `${issuer.origin}/.well-known/oauth-authorization-server${path}`;
}

/** OpenID Connect Discovery section 4: the well-known segment is appended to the issuer. */
function openIdUrl(issuer: string): string {
  return `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
}

async function fetchMetadata(url: string, issuer: string, http: ResolvedHttpOptions): Promise<AuthorizationServerMetadata> {
  const res = await sendOAuthRequest(
    { url, method: 'GET', headers: {}, idempotent: true, secrets: [], what: 'discovery request' },
    http,
  );
  const doc = expectObject(res.body, 'discovery document', res.status);
  // RFC 8414 section 3.3: a mismatch means the document speaks for another server; never use it.
  if (doc.issuer !== issuer) {
    throw new InvalidResponseError('discovery document: issuer does not match the configured issuer', {
      status: res.status,
    });
  }
  for (const field of URL_FIELDS) {
    const value = doc[field];
    if (value === undefined) continue;
    try {
      assertEndpointUrl(value, field);
    } catch {
      throw new InvalidResponseError(`discovery document: ${field} is not a usable URL`, { status: res.status });
    }
  }
  return doc as AuthorizationServerMetadata;
}

function isMissingDocument(err: unknown): boolean {
  const status = err instanceof OAuthError || err instanceof InvalidResponseError ? err.status : undefined;
  return status !== undefined && status >= 400 && status < 500;
}

/**
 * Fetch authorization server metadata: RFC 8414 `/.well-known/oauth-authorization-server` first, then
 * the OpenID `/.well-known/openid-configuration`. The document's `issuer` must equal `issuer` exactly.
 *
 * @example
 * ```ts
 * const meta = await discover('https://auth.example.com');
 * meta.token_endpoint; // 'https://auth.example.com/oauth2/token'
 * ```
 */
export async function discover(issuer: string, options: HttpOptions = {}): Promise<AuthorizationServerMetadata> {
  assertEndpointUrl(issuer, 'issuer');
  const parsed = new URL(issuer);
  if (parsed.search) throw new ConfigError('issuer must not contain a query');
  const http = resolveHttpOptions(options);
  try {
    return await fetchMetadata(rfc8414Url(parsed), issuer, http);
  } catch (err) {
    if (!isMissingDocument(err)) throw err;
  }
  return fetchMetadata(openIdUrl(issuer), issuer, http);
}
