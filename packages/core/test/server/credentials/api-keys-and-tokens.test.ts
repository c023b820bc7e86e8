import { describe, expect, it } from 'vitest';
import { parseSecret } from '../../../src/crypto/token-format.js';
import { errorResponse, OAuthError } from '../../../src/errors.js';
import { headers, rendered, setup, T0 } from '../verify/fixtures.js';

async function rejection(promise: Promise<unknown>) {
  const caught = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(caught).toBeInstanceOf(OAuthError);
  return { error: caught as OAuthError, ...errorResponse(caught) };
}

describe('API key manager', () => {
  it('shows the secret once and stores only its hash', async () => {
    const s = setup();
    const issued = await s.managers.apiKeys.create({ name: ' CRM sync ', userId: 'api-user', businessId: 'b1', scopes: ['read', 'read', 'write'] });
    expect(parseSecret(issued.secret)).toEqual({ prefix: 'ak' });
    expect(issued.credential).toEqual({
      id: expect.any(String),
      kind: 'api_key',
      hint: issued.secret.slice(-4),
      userId: 'api-user',
      businessId: 'b1',
      clientId: null,
      name: 'CRM sync',
      scopes: ['read', 'write'],
      createdAt: T0,
      expiresAt: null,
      revokedAt: null,
      lastUsedAt: null,
    });
    const stored = (await s.counted.inner.getCredential(issued.credential.id))!;
    expect(stored.hash).toBe(s.ctx.hash(issued.secret));
    expect(JSON.stringify(stored)).not.toContain(issued.secret);

    const listed = await s.managers.apiKeys.list({ userId: 'api-user' });
    const got = await s.managers.apiKeys.get(issued.credential.id);
    for (const view of [...listed, got]) {
      expect(view).not.toHaveProperty('hash');
      expect(JSON.stringify(view)).not.toContain(issued.secret);
    }
    expect(listed.map((c) => c.id)).toEqual([issued.credential.id]);
  });

  it('uses the server secret namespace in the prefix', async () => {
    const s = setup({ core: { secretNamespace: 'acme' } });
    const { secret } = await s.managers.apiKeys.create({ name: 'k', userId: 'u', businessId: 'b', scopes: [] });
    expect(secret.startsWith('acme_ak_')).toBe(true);
    await expect(s.verifier.verify(headers({ 'x-api-key': secret, 'x-business-id': 'b', 'x-user-id': 'u' }))).resolves.toBeTruthy();
  });

  it('keeps kinds apart: an API key manager does not see or revoke a personal token', async () => {
    const s = setup();
    const pat = await s.managers.personalTokens.create({ name: 't', userId: 'u', scopes: [] });
    expect(await s.managers.apiKeys.get(pat.credential.id)).toBeNull();
    expect(await s.managers.apiKeys.revoke(pat.credential.id)).toBeNull();
    expect(await s.managers.apiKeys.list()).toEqual([]);
    expect((await s.managers.personalTokens.get(pat.credential.id))?.revokedAt).toBeNull();
  });

  it('revokes idempotently and lists revoked keys only on request', async () => {
    const s = setup();
    const { credential } = await s.managers.apiKeys.create({ name: 'k', userId: 'u', businessId: 'b', scopes: [] });
    s.advance(1000);
    expect((await s.managers.apiKeys.revoke(credential.id))?.revokedAt).toBe(T0 + 1000);
    s.advance(1000);
    expect((await s.managers.apiKeys.revoke(credential.id))?.revokedAt).toBe(T0 + 1000);
    expect(await s.managers.apiKeys.list()).toEqual([]);
    expect(await s.managers.apiKeys.list({ includeRevoked: true })).toHaveLength(1);
    expect(await s.managers.apiKeys.revoke('no-such-id')).toBeNull();
  });

  it('regenerates: a new secret with the same settings, the old one refused at once', async () => {
    const s = setup();
    const old = await s.managers.apiKeys.create({ name: 'k', userId: 'u', businessId: 'b', scopes: ['read'] });
    const triple = (key: string) => headers({ 'x-api-key': key, 'x-business-id': 'b', 'x-user-id': 'u' });
    await s.verifier.verify(triple(old.secret));
    const fresh = await s.managers.apiKeys.regenerate(old.credential.id);
    expect(fresh.secret).not.toBe(old.secret);
    expect(fresh.credential).toMatchObject({ name: 'k', userId: 'u', businessId: 'b', scopes: ['read'] });
    expect((await rendered(s.verifier.verify(triple(old.secret)))).status).toBe(401);
    await expect(s.verifier.verify(triple(fresh.secret))).resolves.toMatchObject({ credentialId: fresh.credential.id });
    const again = await rejection(s.managers.apiKeys.regenerate(old.credential.id));
    expect(again.status).toBe(400);
    expect((await rejection(s.managers.apiKeys.regenerate('missing'))).status).toBe(404);
  });

  it('refuses bad input with a 400, never a crash', async () => {
    const s = setup();
    const base = { name: 'k', userId: 'u', businessId: 'b', scopes: ['read'] };
    const bad: unknown[] = [
      { ...base, name: '' },
      { ...base, name: 'x'.repeat(201) },
      { ...base, name: 'tab\tname' },
      { ...base, userId: 'u,1' },
      { ...base, businessId: 'b 1' },
      { ...base, businessId: undefined },
      { ...base, scopes: 'read' },
      { ...base, scopes: ['has space'] },
      { ...base, scopes: ['quote"'] },
      { ...base, expiresIn: '1y' },
      { ...base, expiresAt: T0 - 1 },
      { ...base, expiresAt: T0 + 1000, expiresIn: '1h' },
      undefined,
    ];
    for (const input of bad) {
      const r = await rejection(s.managers.apiKeys.create(input as never));
      expect(r.status, JSON.stringify(input)).toBe(400);
      expect(r.body.error).toBe('invalid_request');
    }
    expect(await s.counted.inner.listCredentials({ includeRevoked: true })).toEqual([]);
  });
});

describe('personal / direct access token manager', () => {
  it('creates business-bound and unbound tokens and carries the lifetime over on regenerate', async () => {
    const s = setup();
    const direct = await s.managers.personalTokens.create({ name: 'integration', userId: 'u', businessId: 'b', scopes: ['read'], expiresIn: '30d' });
    expect(parseSecret(direct.secret)).toEqual({ prefix: 'pat' });
    expect(direct.credential).toMatchObject({ kind: 'personal_token', businessId: 'b', expiresAt: T0 + 30 * 86_400_000 });
    const personal = await s.managers.personalTokens.create({ name: 'laptop', userId: 'u', scopes: [], expiresAt: new Date(T0 + 60_000) });
    expect(personal.credential).toMatchObject({ businessId: null, expiresAt: T0 + 60_000 });
    s.advance(86_400_000);
    const next = await s.managers.personalTokens.regenerate(direct.credential.id);
    expect(next.credential.expiresAt).toBe(T0 + 86_400_000 + 30 * 86_400_000);
    expect((await s.managers.personalTokens.get(direct.credential.id))?.revokedAt).toBe(T0 + 86_400_000);
    expect((await s.managers.personalTokens.list({ userId: 'u' })).map((c) => c.name).sort()).toEqual(['integration', 'laptop']);
  });
});
