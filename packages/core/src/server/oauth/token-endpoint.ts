/**
 * The token endpoint (RFC 6749 section 3.2): POST, form-encoded, client authenticated, errors exactly per
 * section 5.2, every response `no-store`.
 *
 * @module
 */
import { OAuthError } from '../../errors.js';
import type { GrantType } from '../store.js';
import { authorizationCodeGrant } from './authorization-code-grant.js';
import { clientCredentialsGrant } from './client-credentials-grant.js';
import type { GrantContext, GrantHandler } from './grant-context.js';
import { type PlainResponse, plainJson } from './back-channel.js';
import { passwordGrant } from './password-grant.js';
import { refreshTokenGrant } from './refresh-token-grant.js';
import { type FormInput, readFormParams } from './request-params.js';

const HANDLERS: Record<GrantType, GrantHandler> = {
  authorization_code: authorizationCodeGrant,
  client_credentials: clientCredentialsGrant,
  password: passwordGrant,
  refresh_token: refreshTokenGrant,
};

/** Grant types this server serves, given its options. */
export function enabledGrantTypes(g: Pick<GrantContext, 'options'>): GrantType[] {
  const out: GrantType[] = ['authorization_code', 'client_credentials', 'refresh_token'];
  if (g.options.passwordGrant) out.push('password');
  return out;
}

/** Serve a token request. Throws {@link OAuthError}; the router renders it. */
export async function tokenEndpoint(g: GrantContext, input: FormInput): Promise<PlainResponse> {
  const params = await readFormParams(input, g.options.maxBodyBytes);
  const authenticated = await g.clients.authenticate(input.header('authorization'), params, true);
  const grantType = params.get('grant_type');
  if (grantType === undefined) throw new OAuthError('invalid_request', 'Parameter "grant_type" is required');
  const enabled = enabledGrantTypes(g) as string[];
  if (!enabled.includes(grantType)) {
    throw new OAuthError('unsupported_grant_type', 'The grant type is not supported');
  }
  const type = grantType as GrantType;
  if (!authenticated.client.grantTypes.includes(type)) {
    throw new OAuthError('unauthorized_client', 'The client is not allowed to use this grant type');
  }
  const tokens = await HANDLERS[type](g, authenticated, params);
  return plainJson(tokens);
}
