import type {
  AuthorizationCodeRecord,
  ClientRecord,
  CredentialKind,
  CredentialRecord,
  TokenRecord,
} from '@auth/core';
import type { AuthorizationCodeRow, ClientRow, CredentialRow, EpochColumn, TokenRow } from './tables.js';

/**
 * Conversions between the records of `@auth/core` and table rows. Epoch milliseconds stay below 2^53, so
 * `Number` is exact even when pg returns `BIGINT` as a string (a pool supplied by the caller keeps pg's
 * default parsers).
 *
 * @module
 */

const ms = (v: EpochColumn): number => (typeof v === 'number' ? v : Number(v));
const msOrNull = (v: EpochColumn | null): number | null => (v === null ? null : ms(v));
const list = <T extends string = string>(json: string): T[] => JSON.parse(json) as T[];

/** Row -> {@link CredentialRecord}. */
export function toCredential(r: CredentialRow): CredentialRecord {
  return {
    id: r.id,
    kind: r.kind as CredentialKind,
    hash: r.hash,
    hint: r.hint,
    userId: r.user_id,
    businessId: r.business_id,
    clientId: r.client_id,
    name: r.name,
    scopes: list(r.scopes),
    createdAt: ms(r.created_at),
    expiresAt: msOrNull(r.expires_at),
    revokedAt: msOrNull(r.revoked_at),
    lastUsedAt: msOrNull(r.last_used_at),
  };
}

/** {@link CredentialRecord} -> row. */
export function fromCredential(c: CredentialRecord): CredentialRow {
  return {
    id: c.id,
    kind: c.kind,
    hash: c.hash,
    hint: c.hint,
    user_id: c.userId,
    business_id: c.businessId,
    client_id: c.clientId,
    name: c.name,
    scopes: JSON.stringify(c.scopes),
    created_at: c.createdAt,
    expires_at: c.expiresAt,
    revoked_at: c.revokedAt,
    last_used_at: c.lastUsedAt,
  };
}

/** Row -> {@link ClientRecord}. */
export function toClient(r: ClientRow): ClientRecord {
  return {
    clientId: r.client_id,
    name: r.name,
    type: r.type as ClientRecord['type'],
    redirectUris: list(r.redirect_uris),
    grantTypes: list(r.grant_types),
    scopes: list(r.scopes),
    tokenEndpointAuthMethod: r.token_endpoint_auth_method as ClientRecord['tokenEndpointAuthMethod'],
    environment: r.environment,
    ownerUserId: r.owner_user_id,
    businessId: r.business_id,
    createdAt: ms(r.created_at),
    revokedAt: msOrNull(r.revoked_at),
  };
}

/** {@link ClientRecord} -> row. */
export function fromClient(c: ClientRecord): ClientRow {
  return {
    client_id: c.clientId,
    name: c.name,
    type: c.type,
    redirect_uris: JSON.stringify(c.redirectUris),
    grant_types: JSON.stringify(c.grantTypes),
    scopes: JSON.stringify(c.scopes),
    token_endpoint_auth_method: c.tokenEndpointAuthMethod,
    environment: c.environment,
    owner_user_id: c.ownerUserId,
    business_id: c.businessId,
    created_at: c.createdAt,
    revoked_at: c.revokedAt,
  };
}

/** Row -> {@link AuthorizationCodeRecord}. */
export function toCode(r: AuthorizationCodeRow): AuthorizationCodeRecord {
  return {
    hash: r.hash,
    clientId: r.client_id,
    userId: r.user_id,
    businessId: r.business_id,
    redirectUri: r.redirect_uri,
    scopes: list(r.scopes),
    codeChallenge: r.code_challenge,
    codeChallengeMethod: r.code_challenge_method as AuthorizationCodeRecord['codeChallengeMethod'],
    familyId: r.family_id,
    createdAt: ms(r.created_at),
    expiresAt: ms(r.expires_at),
    consumedAt: msOrNull(r.consumed_at),
  };
}

/** {@link AuthorizationCodeRecord} -> row. */
export function fromCode(c: AuthorizationCodeRecord): AuthorizationCodeRow {
  return {
    hash: c.hash,
    client_id: c.clientId,
    user_id: c.userId,
    business_id: c.businessId,
    redirect_uri: c.redirectUri,
    scopes: JSON.stringify(c.scopes),
    code_challenge: c.codeChallenge,
    code_challenge_method: c.codeChallengeMethod,
    family_id: c.familyId,
    created_at: c.createdAt,
    expires_at: c.expiresAt,
    consumed_at: c.consumedAt,
  };
}

/** Row -> {@link TokenRecord}. */
export function toToken(r: TokenRow): TokenRecord {
  return {
    hash: r.hash,
    type: r.type as TokenRecord['type'],
    familyId: r.family_id,
    clientId: r.client_id,
    userId: r.user_id,
    businessId: r.business_id,
    scopes: list(r.scopes),
    createdAt: ms(r.created_at),
    expiresAt: ms(r.expires_at),
    revokedAt: msOrNull(r.revoked_at),
    rotatedAt: msOrNull(r.rotated_at),
    successor: r.successor,
  };
}

/** {@link TokenRecord} -> row. */
export function fromToken(t: TokenRecord): TokenRow {
  return {
    hash: t.hash,
    type: t.type,
    family_id: t.familyId,
    client_id: t.clientId,
    user_id: t.userId,
    business_id: t.businessId,
    scopes: JSON.stringify(t.scopes),
    created_at: t.createdAt,
    expires_at: t.expiresAt,
    revoked_at: t.revokedAt,
    rotated_at: t.rotatedAt,
    successor: t.successor,
  };
}
