/**
 * `grant_type=client_credentials` (RFC 6749 section 4.4): a confidential client acting for itself.
 * No refresh token (section 4.4.3): the client simply asks again.
 *
 * @module
 */
import { timeOrderedId } from '../../crypto/random.js';
import { OAuthError } from '../../errors.js';
import type { GrantHandler } from './grant-context.js';
import { grantScopes, parseScope } from './scopes.js';

/** Handle the client credentials grant. */
export const clientCredentialsGrant: GrantHandler = async ({ ctx, tokens }, { client }, params) => {
  if (client.type !== 'confidential') {
    throw new OAuthError('unauthorized_client', 'Public clients cannot use client_credentials');
  }
  const scopes = grantScopes(parseScope(params.get('scope')), client.scopes);
  const issued = await tokens.issue({
    clientId: client.clientId,
    userId: null,
    businessId: client.businessId,
    scopes,
    familyId: timeOrderedId(),
    refresh: false,
  });
  await ctx.store.saveTokens(issued.records);
  return issued.body;
};
