import { parseSecret } from '../../crypto/token-format.js';
import type { ServerContext } from '../context.js';

/**
 * Whether `secret` is a current `client_secret` credential of `clientId`: well-formed (checksum checked
 * before any store lookup), found by hash, owned by that client, neither revoked nor expired. During a
 * rotation overlap the old and new secrets are both current, so both pass.
 *
 * This is the OAuth server's own reading of the store contract, used until
 * `server/credentials/client-secret.ts` provides `authenticateClientSecret`.
 */
export async function verifyClientSecret(ctx: ServerContext, clientId: string, secret: string): Promise<boolean> {
  if (secret.length > 256 || !parseSecret(secret)) return false;
  const record = await ctx.store.findCredentialByHash(ctx.hash(secret));
  if (record?.kind !== 'client_secret' || record.clientId !== clientId) return false;
  const now = ctx.now();
  return record.revokedAt === null && (record.expiresAt === null || record.expiresAt > now);
}
