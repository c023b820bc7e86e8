/**
 * Token revocation (RFC 7009). The client is authenticated (public clients by `client_id`); a client can
 * only revoke its own tokens; unknown tokens, and other clients' tokens, get the same 200 so the endpoint
 * cannot be used to probe which tokens exist. Revoking a refresh token revokes its whole family,
 * including the access tokens issued from it.
 *
 * @module
 */
import { type PlainResponse, plainEmpty } from './back-channel.js';
import { revokeFamily, type GrantContext } from './grant-context.js';
import type { JwtAccessTokenCodec } from './jwt-access-token.js';
import { readPresentedToken } from './presented-token.js';
import type { FormInput } from './request-params.js';

/** Serve a revocation request. */
export async function revocationEndpoint(
  g: GrantContext,
  jwt: JwtAccessTokenCodec | null,
  input: FormInput,
): Promise<PlainResponse> {
  const { ctx } = g;
  const { client, record } = await readPresentedToken(g, jwt, input, true);
  if (record && record.clientId === client.clientId && record.revokedAt === null) {
    if (record.type === 'refresh_token') {
      await revokeFamily(ctx, record.familyId);
    } else {
      await ctx.store.revokeToken(record.hash, ctx.now());
      ctx.invalidation.publish({ type: 'token', hash: record.hash });
    }
  }
  return plainEmpty(200);
}
