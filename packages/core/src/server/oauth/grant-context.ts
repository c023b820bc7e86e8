import type { ServerContext } from '../context.js';
import type { AuthenticatedClient } from './client-authentication.js';
import type { ResolvedOAuthOptions } from './oauth-options.js';
import type { Params } from './request-params.js';
import type { TokenIssuer, TokenResponseBody } from './token-issuer.js';

/** What every grant handler gets: the server context, resolved options and the token issuer. */
export interface GrantContext {
  ctx: ServerContext;
  options: ResolvedOAuthOptions;
  tokens: TokenIssuer;
}

/** A grant type's handler: validates its parameters and returns the token response, or throws OAuthError. */
export type GrantHandler = (g: GrantContext, client: AuthenticatedClient, params: Params) => Promise<TokenResponseBody>;

/** Revoke a whole token family and tell every verifier cache. */
export async function revokeFamily(ctx: ServerContext, familyId: string): Promise<void> {
  await ctx.store.revokeFamily(familyId, ctx.now());
  ctx.invalidation.publish({ type: 'family', familyId });
}
