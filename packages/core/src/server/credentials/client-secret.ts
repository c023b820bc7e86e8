/**
 * Client authentication for the token endpoint: is this the current secret of this client?
 *
 * @module
 */
import { safeEqual } from '../../crypto/hash.js';
import { parseSecret } from '../../crypto/token-format.js';
import type { ServerContext } from '../context.js';
import type { CredentialRecord } from '../store.js';

/**
 * Whether `secret` is a live client secret of `clientId`: well-formed with the client-secret prefix,
 * stored, of kind `client_secret`, bound to this client, not revoked, not expired (a rotated secret works
 * until its overlap ends), and the client itself not revoked. Never throws for bad input: false.
 *
 * The store is searched by the secret's keyed hash, so the secret is never compared character by
 * character; the final hash comparison is constant-time in case a store matches loosely.
 *
 * @example
 * ```ts
 * if (!(await authenticateClientSecret(ctx, clientId, clientSecret))) throw invalidClient();
 * ```
 */
export async function authenticateClientSecret(ctx: ServerContext, clientId: string, secret: string): Promise<boolean> {
  if (!(await liveClientSecret(ctx, clientId, secret))) return false;
  const client = await ctx.store.getClient(clientId);
  return client !== null && client.revokedAt === null;
}

/**
 * The live `client_secret` record of `clientId` that `secret` matches, or null: well-formed with the
 * client-secret prefix, stored, bound to this client, not revoked, not expired. Says nothing about the
 * client itself (callers that already hold the client record check it themselves). Never throws for bad input.
 */
export async function liveClientSecret(ctx: ServerContext, clientId: string, secret: string): Promise<CredentialRecord | null> {
  if (typeof clientId !== 'string' || clientId === '' || typeof secret !== 'string') return null;
  if (parseSecret(secret)?.prefix !== ctx.prefix('clientSecret')) return null;
  const hash = ctx.hash(secret);
  const record = await ctx.store.findCredentialByHash(hash);
  if (!record || !safeEqual(record.hash, hash)) return null;
  const live =
    record.kind === 'client_secret' &&
    record.clientId === clientId &&
    record.revokedAt === null &&
    (record.expiresAt === null || record.expiresAt > ctx.now());
  return live ? record : null;
}
