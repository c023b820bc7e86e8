import { InvalidResponseError } from '../errors.js';
import { expectObject } from './oauth-http.js';

/**
 * Tokens obtained from a token endpoint. Plain JSON-serialisable data, so any store can keep it.
 * Only `Bearer` tokens are supported; DPoP-bound tokens are refused with an {@link InvalidResponseError}.
 */
export interface TokenSet {
  accessToken: string;
  tokenType: 'Bearer';
  /**
   * When the access token expires (epoch ms), or `null` when the server sent no `expires_in`. The token
   * manager then assumes its `defaultLifetime` and relies on a 401 from the API as the fallback.
   */
  expiresAt: number | null;
  /** When the token set was obtained (epoch ms). */
  obtainedAt: number;
  refreshToken?: string;
  scope?: string;
  idToken?: string;
}

function parseExpiresIn(value: unknown, status: number): number | null {
  if (value === undefined || value === null) return null;
  // Some servers (seed 001) send `"expires_in": "1799"`.
  const n = typeof value === 'string' && /^\s*\d+(?:\.\d+)?\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
    throw new InvalidResponseError('token response: expires_in is not a non-negative number', { status });
  }
  return n;
}

function optionalString(body: Record<string, unknown>, name: string, status: number): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new InvalidResponseError(`token response: ${name} is not a string`, { status });
  return value;
}

/**
 * Validate a token endpoint's successful response and turn it into a {@link TokenSet}.
 * A missing `token_type` is read as `Bearer` (seed 001 omits it); anything else but `Bearer`
 * (case-insensitive) is refused.
 */
export function parseTokenResponse(body: unknown, now: number, status = 200): TokenSet {
  const json = expectObject(body, 'token response', status);
  const accessToken = json.access_token;
  if (typeof accessToken !== 'string' || accessToken.length === 0) {
    throw new InvalidResponseError('token response: access_token is missing', { status });
  }
  const tokenType = json.token_type;
  if (tokenType !== undefined && tokenType !== null) {
    if (typeof tokenType !== 'string') throw new InvalidResponseError('token response: token_type is not a string', { status });
    if (tokenType.toLowerCase() === 'dpop') {
      throw new InvalidResponseError('token response: DPoP-bound tokens are not supported yet', { status });
    }
    if (tokenType.toLowerCase() !== 'bearer') {
      throw new InvalidResponseError(`token response: unsupported token_type "${tokenType.slice(0, 40)}"`, { status });
    }
  }
  const expiresIn = parseExpiresIn(json.expires_in, status);
  const set: TokenSet = {
    accessToken,
    tokenType: 'Bearer',
    expiresAt: expiresIn === null ? null : now + Math.floor(expiresIn * 1000),
    obtainedAt: now,
  };
  const refreshToken = optionalString(json, 'refresh_token', status);
  const scope = optionalString(json, 'scope', status);
  const idToken = optionalString(json, 'id_token', status);
  if (refreshToken) set.refreshToken = refreshToken;
  if (scope !== undefined) set.scope = scope;
  if (idToken) set.idToken = idToken;
  return set;
}
