/**
 * The part revocation (RFC 7009) and introspection (RFC 7662) share: parse the form, authenticate the
 * calling client, require `token`, and find the token's record without trusting any hint.
 *
 * @module
 */
import { OAuthError } from '../../errors.js';
import type { TokenRecord } from '../store.js';
import { findPresentedToken } from './access-token-verifier.js';
import type { AuthenticatedClient } from './client-authentication.js';
import type { GrantContext } from './grant-context.js';
import type { JwtAccessTokenCodec } from './jwt-access-token.js';
import { type FormInput, readFormParams } from './request-params.js';

/** The authenticated caller and the record of the token it presented (null if not one of ours). */
export interface PresentedTokenRequest {
  client: AuthenticatedClient['client'];
  record: TokenRecord | null;
}

/** Read a token-management request. `allowPublic`: whether public clients may call (revocation: yes). */
export async function readPresentedToken(
  g: GrantContext,
  jwt: JwtAccessTokenCodec | null,
  input: FormInput,
  allowPublic: boolean,
): Promise<PresentedTokenRequest> {
  const params = await readFormParams(input, g.options.maxBodyBytes);
  const { client } = await g.clients.authenticate(input.header('authorization'), params, allowPublic);
  const token = params.get('token');
  if (token === undefined) throw new OAuthError('invalid_request', 'Parameter "token" is required');
  // token_type_hint only orders a search; one hash lookup covers both kinds, so the hint changes nothing.
  return { client, record: await findPresentedToken(g.ctx, jwt, token) };
}
