/**
 * Token introspection (RFC 7662). The caller authenticates as a confidential client. A client sees its
 * own tokens; clients listed in `introspectionClients` (resource servers) see every token. Anything else
 * (unknown, expired, revoked, rotated, another client's) is `{"active":false}` and nothing more.
 *
 * @module
 */
import { isActive } from './access-token-verifier.js';
import { type PlainResponse, plainJson } from './back-channel.js';
import type { GrantContext } from './grant-context.js';
import type { JwtAccessTokenCodec } from './jwt-access-token.js';
import { readPresentedToken } from './presented-token.js';
import type { FormInput } from './request-params.js';

/** Serve an introspection request. */
export async function introspectionEndpoint(
  g: GrantContext,
  jwt: JwtAccessTokenCodec | null,
  input: FormInput,
): Promise<PlainResponse> {
  const { ctx } = g;
  const { client, record } = await readPresentedToken(g, jwt, input, false);
  const now = ctx.now();
  const visible = record !== null && (record.clientId === client.clientId || g.options.introspectionClients.has(client.clientId));
  if (!record || !visible || !isActive(record, now)) return plainJson({ active: false });
  return plainJson({
    active: true,
    scope: record.scopes.join(' '),
    client_id: record.clientId,
    token_type: record.type === 'access_token' ? 'Bearer' : 'refresh_token',
    exp: Math.floor(record.expiresAt / 1000),
    iat: Math.floor(record.createdAt / 1000),
    sub: record.userId ?? record.clientId,
    iss: ctx.issuer,
    ...(record.businessId === null ? {} : { business_id: record.businessId }),
  });
}
