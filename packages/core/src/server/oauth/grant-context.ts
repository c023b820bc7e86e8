import type { ServerContext } from '../context.js';
import type { AuthenticatedClient, ClientAuthenticator } from './client-authentication.js';
import type { ResolvedOAuthOptions } from './oauth-options.js';
import type { Params } from './request-params.js';
import type { TokenIssuer, TokenResponseBody } from './token-issuer.js';

/** What every back-channel handler gets: the server context, resolved options, token issuer, client authenticator. */
export interface GrantContext {
  ctx: ServerContext;
  options: ResolvedOAuthOptions;
  tokens: TokenIssuer;
  clients: ClientAuthenticator;
}

/** A grant type's handler: validates its parameters and returns the token response, or throws OAuthError. */
export type GrantHandler = (g: GrantContext, client: AuthenticatedClient, params: Params) => Promise<TokenResponseBody>;

/** Revoke a whole token family and tell every verifier cache. */
export async function revokeFamily(ctx: ServerContext, familyId: string): Promise<void> {
  await ctx.store.revokeFamily(familyId, ctx.now());
  ctx.invalidation.publish({ type: 'family', familyId });
}
