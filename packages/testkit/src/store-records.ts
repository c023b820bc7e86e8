import { randomUUID } from 'node:crypto';
import type { AuthorizationCodeRecord, ClientRecord, CredentialRecord, TokenRecord } from '@auth/core';

const HOUR = 3_600_000;

/** A unique id with a readable prefix, for record fields that must not collide between tests. */
export const uid = (prefix: string) => `${prefix}_${randomUUID()}`;

/**
 * Builders of valid store records (every field set; override what a test is about), shared by the store
 * contract and the store-specific suites. Times are relative to `now()`.
 */
export function storeRecords(now: () => number) {
  function credential(overrides: Partial<CredentialRecord> = {}): CredentialRecord {
    return {
      id: uid('cred'),
      kind: 'api_key',
      hash: uid('hash'),
      hint: 'a1b2',
      userId: 'user-1',
      businessId: 'biz-1',
      clientId: null,
      name: 'Deploy key',
      scopes: ['orders:read', 'orders:write'],
      createdAt: now(),
      expiresAt: null,
      revokedAt: null,
      lastUsedAt: null,
      ...overrides,
    };
  }

  function client(overrides: Partial<ClientRecord> = {}): ClientRecord {
    return {
      clientId: uid('client'),
      name: 'Reporting app',
      type: 'confidential',
      redirectUris: ['https://app.example/callback', 'http://127.0.0.1:8080/cb'],
      grantTypes: ['authorization_code', 'refresh_token'],
      scopes: ['profile', 'orders:read'],
      tokenEndpointAuthMethod: 'client_secret_basic',
      environment: 'production',
      ownerUserId: 'user-1',
      businessId: 'biz-1',
      createdAt: now(),
      revokedAt: null,
      ...overrides,
    };
  }

  function code(overrides: Partial<AuthorizationCodeRecord> = {}): AuthorizationCodeRecord {
    return {
      hash: uid('code'),
      clientId: 'client-1',
      userId: 'user-1',
      businessId: 'biz-1',
      redirectUri: 'https://app.example/callback',
      scopes: ['profile'],
      codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      codeChallengeMethod: 'S256',
      familyId: uid('family'),
      createdAt: now(),
      expiresAt: now() + 60_000,
      consumedAt: null,
      ...overrides,
    };
  }

  function token(overrides: Partial<TokenRecord> = {}): TokenRecord {
    return {
      hash: uid('tok'),
      type: 'refresh_token',
      familyId: uid('family'),
      clientId: 'client-1',
      userId: 'user-1',
      businessId: 'biz-1',
      scopes: ['profile', 'orders:read'],
      createdAt: now(),
      expiresAt: now() + 48 * HOUR,
      revokedAt: null,
      rotatedAt: null,
      successor: null,
      ...overrides,
    };
  }

  return { credential, client, code, token };
}
