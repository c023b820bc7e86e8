import type { CredentialSource } from './credential-source.js';
import { authorizationCredential, withCredentialNow } from './credential-source.js';
import { assertCredential } from './header-value.js';

/**
 * A static bearer token: a personal or direct access token (`Authorization: Bearer <token>`).
 * It cannot renew, so a 401 from the API is surfaced to the caller.
 *
 * @example
 * ```ts
 * const api = authFetch(bearer(process.env.PERSONAL_TOKEN!));
 * const res = await api('https://api.example.com/v1/users');
 * ```
 */
export function bearer(token: string): CredentialSource {
  assertCredential(token, 'bearer: token');
  const applied = authorizationCredential('Bearer', token, undefined);
  return withCredentialNow({ scheme: 'bearer', renewable: false, credential: async () => applied, renew: async () => null }, () => applied);
}
