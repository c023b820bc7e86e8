/**
 * `grant_type=password` (RFC 6749 section 4.3, seed 001). Off unless the server enables it AND the client's
 * `grantTypes` include it. An unknown user and a wrong password get the same answer.
 *
 * @module
 */
import { timeOrderedId } from '../../crypto/random.js';
import { OAuthError } from '../../errors.js';
import type { GrantHandler } from './grant-context.js';
import { grantScopes, parseScope } from './scopes.js';

const MAX_CREDENTIAL = 1024;

/** Handle the resource owner password credentials grant. */
export const passwordGrant: GrantHandler = async ({ ctx, tokens }, { client }, params) => {
  const username = params.get('username');
  const password = params.get('password');
  if (username === undefined || password === undefined) {
    throw new OAuthError('invalid_request', 'Parameters "username" and "password" are required');
  }
  const scopes = grantScopes(parseScope(params.get('scope')), client.scopes);
  const authenticate = ctx.accounts.authenticate;
  const user =
    authenticate && username.length <= MAX_CREDENTIAL && password.length <= MAX_CREDENTIAL
      ? await authenticate(username, password)
      : null;
  if (!user) throw new OAuthError('invalid_grant', 'Invalid username or password');
  const issued = await tokens.issue({
    clientId: client.clientId,
    userId: user.userId,
    businessId: user.businessId ?? null,
    scopes,
    familyId: timeOrderedId(),
    refresh: client.grantTypes.includes('refresh_token'),
  });
  await ctx.store.saveTokens(issued.records);
  return issued.body;
};
