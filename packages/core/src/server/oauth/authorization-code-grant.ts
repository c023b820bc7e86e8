/**
 * `grant_type=authorization_code` (RFC 6749 section 4.1.3, RFC 7636 section 4.6).
 *
 * A code is redeemed once. A second redemption (an attacker with a stolen code, or a race) revokes the
 * whole family the first one started, as RFC 6749 section 4.1.2 recommends.
 *
 * @module
 */
import { CODE_VERIFIER_RE, s256CodeChallenge } from '../../crypto/pkce.js';
import { safeEqual } from '../../crypto/hash.js';
import { parseSecret } from '../../crypto/token-format.js';
import { OAuthError } from '../../errors.js';
import type { ServerContext } from '../context.js';
import { revokeFamily, type GrantHandler } from './grant-context.js';

function invalidGrant(description = 'The authorization code is invalid, expired or already used'): OAuthError {
  return new OAuthError('invalid_grant', description);
}

/**
 * Hash of the marker a losing redemption leaves in the family. It cannot collide with a real token (those
 * are hashes of prefixed, checksummed secrets) and is stored already revoked.
 */
function reuseMarkerHash(ctx: ServerContext, familyId: string): string {
  return ctx.hash(`code-reuse:${familyId}`);
}

/** Handle the authorization code grant. */
export const authorizationCodeGrant: GrantHandler = async ({ ctx, tokens }, { client }, params) => {
  const code = params.get('code');
  if (code === undefined) throw new OAuthError('invalid_request', 'Parameter "code" is required');
  const verifier = params.get('code_verifier');
  if (verifier !== undefined && !CODE_VERIFIER_RE.test(verifier)) {
    throw new OAuthError('invalid_request', 'code_verifier must be 43-128 characters of [A-Za-z0-9-._~]');
  }
  if (parseSecret(code)?.prefix !== ctx.prefix('authorizationCode')) throw invalidGrant();

  const now = ctx.now();
  const result = await ctx.store.consumeAuthorizationCode(ctx.hash(code), now);
  if (result.status === 'not_found') throw invalidGrant();
  if (result.status === 'reused') {
    // Leave a marker first: a winner still saving its tokens checks for it afterwards (see below), so its
    // tokens are revoked whichever of the two writes lands last.
    await ctx.store.saveTokens([
      {
        hash: reuseMarkerHash(ctx, result.code.familyId),
        type: 'access_token',
        familyId: result.code.familyId,
        clientId: result.code.clientId,
        userId: result.code.userId,
        businessId: result.code.businessId,
        scopes: [],
        createdAt: now,
        expiresAt: now + ctx.lifetimes.refreshTokenMs,
        revokedAt: now,
        rotatedAt: null,
        successor: null,
      },
    ]);
    await revokeFamily(ctx, result.code.familyId);
    ctx.logger.warn('oauth: authorization code reused; token family revoked', {
      clientId: result.code.clientId,
      familyId: result.code.familyId,
    });
    throw invalidGrant();
  }

  const record = result.code;
  if (record.clientId !== client.clientId) throw invalidGrant();
  if (record.expiresAt <= now) throw invalidGrant();
  if (params.get('redirect_uri') !== record.redirectUri) {
    throw invalidGrant('redirect_uri does not match the authorization request');
  }
  if (record.codeChallenge === null) {
    // A verifier for a code issued without a challenge means the request was altered (PKCE downgrade).
    if (verifier !== undefined) throw invalidGrant('code_verifier was sent but the authorization request had no code_challenge');
  } else {
    if (verifier === undefined) throw invalidGrant('code_verifier is required');
    if (!safeEqual(s256CodeChallenge(verifier), record.codeChallenge)) throw invalidGrant('code_verifier does not match');
  }

  const issued = await tokens.issue({
    clientId: client.clientId,
    userId: record.userId,
    businessId: record.businessId,
    scopes: record.scopes,
    familyId: record.familyId,
    refresh: client.grantTypes.includes('refresh_token'),
  });
  await ctx.store.saveTokens(issued.records);
  if (await ctx.store.findToken(reuseMarkerHash(ctx, record.familyId))) {
    // A concurrent replay revoked the family before our tokens were stored: revoke them too.
    await revokeFamily(ctx, record.familyId);
  }
  return issued.body;
};
