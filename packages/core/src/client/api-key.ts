import { ConfigError } from '../errors.js';
import { type AppliedCredential, type CredentialSource, withCredentialNow } from './credential-source.js';
import { assertCredential, assertHeaderName, assertHeaderValue, assertNonEmpty } from './header-value.js';

/**
 * Options for {@link apiKey}: exactly one of three placements.
 *
 * - `{ key, businessId, userId }`: `X-API-KEY`, `X-BUSINESS-ID` and `X-USER-ID` together (all three are
 *   required by APIs of this kind on every request).
 * - `{ key, header? }`: a single header, `X-API-Key` by default.
 * - `{ key, query }`: a query parameter (legacy services). Prefer a header: URLs end up in logs.
 */
export type ApiKeyOptions =
  | { key: string; businessId: string; userId: string; header?: never; query?: never }
  | { key: string; header?: string; query?: never; businessId?: never; userId?: never }
  | { key: string; query: string; header?: never; businessId?: never; userId?: never };

/** Default header for a single-header API key. */
export const DEFAULT_API_KEY_HEADER = 'X-API-Key';

/**
 * A static API key credential. Options are validated here, at construction, never per request.
 *
 * @example
 * ```ts
 * const kizen = apiKey({ key: process.env.API_KEY!, businessId: 'b_1', userId: 'u_1' });
 * const legacy = apiKey({ key: process.env.LEGACY_KEY!, header: 'X-API-Key' });
 * const api = authFetch(kizen);
 * ```
 */
export function apiKey(options: ApiKeyOptions): CredentialSource {
  if (typeof options !== 'object' || options === null) throw new ConfigError('apiKey() needs an options object');
  const { key } = options;
  assertCredential(key, 'apiKey: key');
  let applied: AppliedCredential;
  if (options.businessId !== undefined || options.userId !== undefined) {
    if (options.header !== undefined || options.query !== undefined) {
      throw new ConfigError('apiKey: businessId/userId cannot be combined with header or query');
    }
    assertHeaderValue(options.businessId, 'apiKey: businessId (required together with userId)');
    assertHeaderValue(options.userId, 'apiKey: userId (required together with businessId)');
    applied = {
      headers: { 'X-API-KEY': key, 'X-BUSINESS-ID': options.businessId, 'X-USER-ID': options.userId },
      query: {},
      token: key,
      subject: undefined,
    };
  } else if (options.query !== undefined) {
    if (options.header !== undefined) throw new ConfigError('apiKey: use either header or query, not both');
    assertNonEmpty(options.query, 'apiKey: query');
    applied = { headers: {}, query: { [options.query]: key }, token: key, subject: undefined };
  } else {
    const header = options.header ?? DEFAULT_API_KEY_HEADER;
    assertHeaderName(header, 'apiKey: header');
    applied = { headers: { [header]: key }, query: {}, token: key, subject: undefined };
  }
  return withCredentialNow(
    {
      scheme: 'api_key',
      renewable: false,
      credential: async () => applied,
      renew: async () => null,
    },
    () => applied,
  );
}
