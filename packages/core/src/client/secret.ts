import type { CredentialSource } from './credential-source.js';
import { authorizationCredential } from './credential-source.js';
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
  return { scheme: 'secret', renewable: false, credential: async () => applied, renew: async () => null };
}
