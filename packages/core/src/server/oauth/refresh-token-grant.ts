/**
 * `grant_type=refresh_token` with rotation (RFC 6749 section 6, OAuth 2.0 Security BCP 4.14) made
 * idempotent:
 *
 * - the first redemption of a refresh token creates its successor pair, atomically in the store. With
 *   opaque access tokens the pair is derived from the parent token (`successor-derivation.ts`) and the
 *   parent keeps only a marker naming the key; a JWT server seals the successor's response onto it;
 * - any repeat of that same token inside the grace window (a concurrent request, or a retry after a lost
 *   response) derives (or unseals) and returns the IDENTICAL pair, so no caller loses the race;
 * - a repeat after the window, or of an ancestor whose successor was itself already redeemed, is reuse:
 *   the whole family is revoked and the caller gets `invalid_grant`.
 *
 * @module
 */
import { parseSecret } from '../../crypto/token-format.js';
import { OAuthError } from '../../errors.js';
import type { ServerContext } from '../context.js';
import type { RotateRefreshResult, TokenRecord } from '../store.js';
import { revokeFamily, type GrantHandler } from './grant-context.js';
import { parseScope } from './scopes.js';
import type { TokenResponseBody } from './token-issuer.js';

const SUCCESSOR_PURPOSE = 'oauth-refresh-successor';

/** What is sealed onto a rotated refresh token. */
interface SealedSuccessor {
  body: TokenResponseBody;
  accessExpiresAt: number;
}

function invalidGrant(): OAuthError {
  return new OAuthError('invalid_grant', 'The refresh token is invalid, expired or revoked');
}

async function reuse(ctx: ServerContext, familyId: string, clientId: string): Promise<never> {
  await revokeFamily(ctx, familyId);
  ctx.logger.warn('oauth: refresh token reused; token family revoked', { clientId, familyId });
  throw invalidGrant();
}

/**
 * The successor refresh token a replayed parent was rotated into, while it is live and unredeemed. When
 * the successor was itself redeemed, the replayed token is an older ancestor replayed after the chain
 * moved on: reuse, which revokes the family.
 */
async function liveSuccessor(ctx: ServerContext, refreshToken: string | undefined, parent: TokenRecord, clientId: string): Promise<TokenRecord> {
  const successor = refreshToken ? await ctx.store.findToken(ctx.hash(refreshToken)) : null;
  if (!successor || successor.revokedAt !== null) throw invalidGrant();
  if (successor.rotatedAt !== null) return reuse(ctx, parent.familyId, clientId);
  return successor;
}

/**
 * A repeat inside the grace window of a parent whose pair was derived: the same pair again, derived with
 * the key and at the rotation time the parent records, while its refresh token is live and unredeemed.
 */
async function replayDerived(
  ctx: ServerContext,
  token: string,
  parent: TokenRecord,
  marker: string,
  clientId: string,
  now: number,
): Promise<TokenResponseBody> {
  const rotatedAt = parent.rotatedAt;
  if (rotatedAt === null) throw invalidGrant();
  const pair = ctx.successors.derive(token, rotatedAt, marker);
  if (!pair) throw invalidGrant();
  const successor = await liveSuccessor(ctx, pair.refreshToken, parent, clientId);
  // The access token's record holds the scope the winning request asked for (maybe narrower).
  const access = await ctx.store.findToken(ctx.hash(pair.accessToken));
  const accessExpiresAt = access?.expiresAt ?? rotatedAt + ctx.lifetimes.accessTokenMs;
  return {
    access_token: pair.accessToken,
    token_type: 'Bearer',
    expires_in: Math.max(0, Math.floor((accessExpiresAt - now) / 1000)),
    scope: (access?.scopes ?? successor.scopes).join(' '),
    refresh_token: pair.refreshToken,
  };
}

/**
 * The answer when this call did not rotate: the identical pair again inside the grace window, reuse
 * (family revoked) after it, `invalid_grant` otherwise.
 */
function notRotated(
  ctx: ServerContext,
  token: string,
  result: Exclude<RotateRefreshResult, { status: 'rotated' }>,
  clientId: string,
  now: number,
): Promise<TokenResponseBody> {
  switch (result.status) {
    case 'reused':
      return reuse(ctx, result.token.familyId, clientId);
    case 'invalid':
      throw invalidGrant();
    case 'replayed':
      return replayed(ctx, token, result.token, result.successor, clientId, now);
  }
}

async function replayed(
  ctx: ServerContext,
  token: string,
  parent: TokenRecord,
  successor: string,
  clientId: string,
  now: number,
): Promise<TokenResponseBody> {
  if (ctx.successors.isMarker(successor)) return replayDerived(ctx, token, parent, successor, clientId, now);
  const previous = ctx.sealer.unseal<SealedSuccessor>(successor, { purpose: SUCCESSOR_PURPOSE, now });
  if (!previous) throw invalidGrant();
  await liveSuccessor(ctx, previous.body.refresh_token, parent, clientId);
  return { ...previous.body, expires_in: Math.max(0, Math.floor((previous.accessExpiresAt - now) / 1000)) };
}

/** Handle the refresh token grant. */
export const refreshTokenGrant: GrantHandler = async ({ ctx, tokens }, { client }, params) => {
  const token = params.get('refresh_token');
  if (token === undefined) throw new OAuthError('invalid_request', 'Parameter "refresh_token" is required');
  const requested = parseScope(params.get('scope'));
  if (parseSecret(token)?.prefix !== ctx.prefix('refreshToken')) throw invalidGrant();

  const hash = ctx.hash(token);
  const graceMs = ctx.lifetimes.refreshGraceMs;
  const { store } = ctx;
  // The common case, an opaque pair with the scope unchanged: the store copies the parent's fields into
  // the successors, so the parent is not read first (one store operation, one round trip on Postgres).
  if (tokens.opaque && requested === undefined && store.rotateRefreshTokenFor) {
    const now = ctx.now();
    const issued = tokens.successorsOf(ctx.successors.derive(token, now), now);
    const result = await store.rotateRefreshTokenFor({
      hash,
      clientId: client.clientId,
      now,
      graceMs,
      successors: issued.successors,
      successor: ctx.successors.marker,
    });
    // Another client's token is simply invalid here: no revocation, or any client could burn others' families.
    if (result.token?.clientId !== client.clientId) throw invalidGrant();
    if (result.status === 'rotated') return issued.body(result.token.scopes);
    return notRotated(ctx, token, result, client.clientId, now);
  }

  const current = await store.findToken(hash);
  if (current?.type !== 'refresh_token' || current.clientId !== client.clientId) throw invalidGrant();
  if (requested && !requested.every((s) => current.scopes.includes(s))) {
    throw new OAuthError('invalid_scope', 'The requested scope exceeds the scope originally granted');
  }

  // Mint the successor up front: the store keeps it only if this call wins the rotation.
  const now = ctx.now();
  const derived = tokens.opaque ? ctx.successors.derive(token, now) : null;
  const issued = await tokens.issue({
    now,
    secrets: derived ?? undefined,
    clientId: client.clientId,
    userId: current.userId,
    businessId: current.businessId,
    scopes: requested ?? current.scopes,
    refreshScopes: current.scopes,
    familyId: current.familyId,
    refresh: true,
  });
  const result = await store.rotateRefreshToken({
    hash,
    now,
    graceMs,
    successorRecords: issued.records,
    successor: derived
      ? ctx.successors.marker
      : ctx.sealer.seal({ body: issued.body, accessExpiresAt: issued.accessExpiresAt } satisfies SealedSuccessor, {
          purpose: SUCCESSOR_PURPOSE,
          ttlSeconds: Math.ceil(graceMs / 1000) + 60,
          now,
        }),
  });
  if (result.status === 'rotated') return issued.body;
  return notRotated(ctx, token, result, client.clientId, now);
};
