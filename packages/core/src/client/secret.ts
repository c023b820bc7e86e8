import type { CredentialSource } from './credential-source.js';
import { authorizationCredential, withCredentialNow } from './credential-source.js';
import { assertCredential } from './header-value.js';

/**
 * Client secret authentication: `Authorization: Secret <secret>`.
 *
 * @example
 * ```ts
 * const api = authFetch(secret(process.env.CLIENT_SECRET!));
 * ```
 */
export function secret(clientSecret: string): CredentialSource {
  assertCredential(clientSecret, 'secret: clientSecret');
  const applied = authorizationCredential('Secret', clientSecret, undefined);
  return withCredentialNow({ scheme: 'secret', renewable: false, credential: async () => applied, renew: async () => null }, () => applied);
}
