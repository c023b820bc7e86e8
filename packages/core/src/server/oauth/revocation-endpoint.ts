/**
 * Token revocation (RFC 7009). The client is authenticated (public clients by `client_id`); a client can
 * only revoke its own tokens; unknown tokens, and other clients' tokens, get the same 200 so the endpoint
 * cannot be used to probe which tokens exist. Revoking a refresh token revokes its whole family,
 * including the access tokens issued from it.
 *
 * @module
 */
import { OAuthError } from '../../errors.js';
import { findPresentedToken } from './access-token-verifier.js';
import { authenticateClient } from './client-authentication.js';
import { revokeFamily, type GrantContext } from './grant-context.js';
import type { JwtAccessTokenCodec } from './jwt-access-token.js';
import { formParams, type PreParsedBody } from './request-params.js';

/** Serve a revocation request. */
export async function revocationEndpoint(
  g: GrantContext,
  jwt: JwtAccessTokenCodec | null,
  request: Request,
  body: PreParsedBody | undefined,
): Promise<Response> {
  const { ctx } = g;
  const params = await formParams(request, body, g.options.maxBodyBytes);
  const { client } = await authenticateClient(ctx, request, params, true);
  const token = params.get('token');
  if (token === undefined) throw new OAuthError('invalid_request', 'Parameter "token" is required');
  // token_type_hint only orders a search; one hash lookup covers both kinds, so the hint changes nothing.
  const record = await findPresentedToken(ctx, jwt, token);
  if (record && record.clientId === client.clientId && record.revokedAt === null) {
    if (record.type === 'refresh_token') {
      await revokeFamily(ctx, record.familyId);
    } else {
      await ctx.store.revokeToken(record.hash, ctx.now());
      ctx.invalidation.publish({ type: 'token', hash: record.hash });
    }
  }
  return new Response(null, { status: 200, headers: { 'cache-control': 'no-store', pragma: 'no-cache' } });
}
