/**
 * Checking an access token this server issued, for `verify` (bearer tokens) and introspection.
 *
 * @module
 */
import { parseSecret } from '../../crypto/token-format.js';
import type { ServerContext } from '../context.js';
import type { Principal } from '../principal.js';
import type { TokenRecord } from '../store.js';
import type { JwtAccessTokenCodec } from './jwt-access-token.js';

const JWT_RE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const MAX_JWT = 8192;

/** Whether a token record is usable at `now`. A rotated refresh token is spent even inside its grace. */
export function isActive(record: TokenRecord, now: number): boolean {
  return record.revokedAt === null && record.expiresAt > now && record.rotatedAt === null;
}

/**
 * Find the record of a presented token (access or refresh) without trusting any hint: malformed values
 * are refused before the store, JWTs must carry a valid signature first.
 */
export async function findPresentedToken(
  ctx: ServerContext,
  jwt: JwtAccessTokenCodec | null,
  token: string,
): Promise<TokenRecord | null> {
  const prefix = parseSecret(token)?.prefix;
  if (prefix === ctx.prefix('accessToken') || prefix === ctx.prefix('refreshToken')) {
    return ctx.store.findToken(ctx.hash(token));
  }
  if (jwt && token.length <= MAX_JWT && JWT_RE.test(token) && (await jwt.verify(token, ctx.now()))) {
    return ctx.store.findToken(ctx.hash(token));
  }
  return null;
}

/**
 * The principal of a valid access token, or null. Opaque tokens and JWTs are both checked against the
 * store, so revocation takes effect at once here (resource servers verifying JWTs alone see it at expiry).
 */
export async function verifyAccessToken(
  ctx: ServerContext,
  jwt: JwtAccessTokenCodec | null,
  token: string,
): Promise<Principal | null> {
  if (typeof token !== 'string') return null;
  const record = await findPresentedToken(ctx, jwt, token);
  if (record?.type !== 'access_token' || !isActive(record, ctx.now())) return null;
  return {
    method: 'access_token',
    userId: record.userId,
    businessId: record.businessId,
    clientId: record.clientId,
    scopes: record.scopes,
    credentialId: record.familyId,
    expiresAt: record.expiresAt,
  };
}
