import { describe, expect, it } from 'vitest';
import { InsufficientScopeError, InvalidTokenError, MissingCredentialsError } from '../../../src/errors.js';
import { headers, permissionsDirectory, rendered, setup } from './fixtures.js';

async function withKey(options: Parameters<typeof setup>[0] = {}) {
  const perms = permissionsDirectory();
  perms.set('api-user', 'biz-1', ['contacts:read', 'contacts:write', 'deals:read']);
  const s = setup({ accounts: perms.accounts, ...options });
  const { secret, credential } = await s.managers.apiKeys.create({
    name: 'CRM sync',
    userId: 'api-user',
    businessId: 'biz-1',
    scopes: ['contacts:read', 'contacts:write', 'admin'],
  });
  const triple = (over: Record<string, string | undefined> = {}) =>
    headers({ 'x-api-key': secret, 'x-business-id': 'biz-1', 'x-user-id': 'api-user', ...over });
  return { ...s, perms, secret, credential, triple };
}

describe('API key: X-API-KEY + X-BUSINESS-ID + X-USER-ID (seed 000)', () => {
  it('authenticates the three headers and intersects the key group with current permissions', async () => {
    const { verifier, triple, credential } = await withKey();
    const principal = await verifier.verify(triple());
    expect(principal).toEqual({
      method: 'api_key',
      userId: 'api-user',
      businessId: 'biz-1',
      clientId: null,
      // `admin` is in the key's group but not the user's permissions; `deals:read` the other way round.
      scopes: ['contacts:read', 'contacts:write'],
      credentialId: credential.id,
      expiresAt: null,
    });
  });

  it('gives unknown key, junk, wrong business, wrong user, missing ids, revoked, expired and deleted user one identical answer', async () => {
    const s = await withKey({ methods: { apiKey: true } });
    const expiring = await s.managers.apiKeys.create({
      name: 'short',
      userId: 'api-user',
      businessId: 'biz-1',
      scopes: ['contacts:read'],
      expiresIn: '1m',
    });
    const revoked = await s.managers.apiKeys.create({
      name: 'gone',
      userId: 'api-user',
      businessId: 'biz-1',
      scopes: ['contacts:read'],
    });
    await s.managers.apiKeys.revoke(revoked.credential.id);
    const orphan = await s.managers.apiKeys.create({
      name: 'orphan',
      userId: 'deleted-user',
      businessId: 'biz-1',
      scopes: ['contacts:read'],
    });
    s.advance(61_000);

    const unknownButWellFormed = s.ctx.newSecret('apiKey');
    const cases = {
      unknownKey: s.triple({ 'x-api-key': unknownButWellFormed }),
      junkKey: s.triple({ 'x-api-key': 'not-a-key' }),
      badChecksum: s.triple({ 'x-api-key': `${s.secret.slice(0, -1)}${s.secret.endsWith('A') ? 'B' : 'A'}` }),
      wrongBusiness: s.triple({ 'x-business-id': 'biz-2' }),
      wrongUser: s.triple({ 'x-user-id': 'someone-else' }),
      missingBusiness: s.triple({ 'x-business-id': undefined }),
      missingUser: s.triple({ 'x-user-id': undefined }),
      keyAlone: headers({ 'x-api-key': s.secret }),
      emptyBusiness: s.triple({ 'x-business-id': '' }),
      revoked: s.triple({ 'x-api-key': revoked.secret }),
      expired: s.triple({ 'x-api-key': expiring.secret }),
      userGone: headers({ 'x-api-key': orphan.secret, 'x-business-id': 'biz-1', 'x-user-id': 'deleted-user' }),
      personalTokenAsApiKey: s.triple({ 'x-api-key': s.ctx.newSecret('personalToken') }),
    };
    const answers = [];
    for (const [name, accessor] of Object.entries(cases)) {
      const r = await rendered(s.verifier.verify(accessor));
      expect(r.error, name).toBeInstanceOf(InvalidTokenError);
      answers.push({ status: r.status, headers: r.headers, body: r.body });
    }
    expect(answers[0]).toEqual({
      status: 401,
      headers: {
        'www-authenticate': 'ApiKey error="invalid_token", error_description="The API key credentials are invalid"',
        'cache-control': 'no-store',
      },
      body: { error: 'invalid_token', error_description: 'The API key credentials are invalid' },
    });
    for (const a of answers) expect(a).toEqual(answers[0]);
    // The valid key still works: none of the above was a side effect on it.
    await expect(s.verifier.verify(s.triple())).resolves.toMatchObject({ method: 'api_key' });
  });

  it('never looks a malformed key up in the store', async () => {
    const { verifier, triple, counted } = await withKey();
    counted.reset();
    await rendered(verifier.verify(triple({ 'x-api-key': 'ak_short' })));
    await rendered(verifier.verify(triple({ 'x-api-key': `ak_${'x'.repeat(38)}` })));
    expect(counted.count('findCredentialByHash')).toBe(0);
  });

  it('applies a removed permission on the very next request, even with the record cached', async () => {
    const { verifier, triple, perms, counted } = await withKey();
    await expect(verifier.verify(triple(), { scopes: ['contacts:write'] })).resolves.toBeTruthy();
    counted.reset();
    const before = perms.calls();
    perms.set('api-user', 'biz-1', ['contacts:read']);
    const r = await rendered(verifier.verify(triple(), { scopes: ['contacts:write'] }));
    expect(r.error).toBeInstanceOf(InsufficientScopeError);
    expect(r.status).toBe(403);
    expect(r.headers['www-authenticate']).toBe(
      'ApiKey error="insufficient_scope", error_description="The credential lacks the required scope", scope="contacts:write"',
    );
    expect(r.body).toEqual({
      error: 'insufficient_scope',
      error_description: 'The credential lacks the required scope',
      scope: 'contacts:write',
    });
    expect(perms.calls()).toBe(before + 1);
    expect(counted.count('findCredentialByHash')).toBe(0);
    // The user disappearing turns the key invalid at once.
    perms.set('api-user', 'biz-1', null);
    expect((await rendered(verifier.verify(triple()))).status).toBe(401);
  });

  it('without an accounts adapter keeps the key group as issued', async () => {
    const s = setup();
    const { secret } = await s.managers.apiKeys.create({ name: 'k', userId: 'u', businessId: 'b', scopes: ['x'] });
    const p = await s.verifier.verify(headers({ 'x-api-key': secret, 'x-business-id': 'b', 'x-user-id': 'u' }));
    expect(p.scopes).toEqual(['x']);
  });

  it('with only API keys enabled, ignores an Authorization header (e.g. from a Basic-auth proxy)', async () => {
    const s = await withKey({ methods: { apiKey: true } });
    const h = headers({ authorization: 'Basic dXNlcjpwYXNz', 'x-api-key': s.secret, 'x-business-id': 'biz-1', 'x-user-id': 'api-user' });
    await expect(s.verifier.verify(h)).resolves.toMatchObject({ method: 'api_key' });
  });

  it('puts the configured realm in every challenge', async () => {
    const s = await withKey({ methods: { apiKey: true, realm: 'crm' } });
    const r = await rendered(s.verifier.verify(s.triple({ 'x-business-id': 'nope' })));
    expect(r.headers['www-authenticate']).toMatch(/^ApiKey realm="crm", error="invalid_token"/);
    const none = await rendered(s.verifier.verify(headers({})));
    expect(none.error).toBeInstanceOf(MissingCredentialsError);
    expect(none.headers['www-authenticate']).toBe('ApiKey realm="crm"');
  });
});

describe('legacy single-header API key and query parameter (seed 002)', () => {
  it('accepts a key alone only when legacy is enabled, keeping the three-header scheme working', async () => {
    const s = await withKey({ methods: { apiKey: true, legacyApiKey: true } });
    const legacy = await s.verifier.verify(headers({ 'x-api-key': s.secret }));
    expect(legacy).toMatchObject({ method: 'legacy_api_key', userId: 'api-user', businessId: 'biz-1' });
    expect(legacy.scopes).toEqual(['contacts:read', 'contacts:write']);
    await expect(s.verifier.verify(s.triple())).resolves.toMatchObject({ method: 'api_key' });
    // Naming a business still selects the three-header scheme, and a wrong one still fails.
    expect((await rendered(s.verifier.verify(s.triple({ 'x-user-id': undefined, 'x-business-id': 'biz-2' })))).status).toBe(401);
  });

  it('reads a custom legacy header independently of X-API-KEY', async () => {
    const s = await withKey({ methods: { legacyApiKey: { header: 'X-Legacy-Key' } } });
    await expect(s.verifier.verify(headers({ 'x-legacy-key': s.secret }))).resolves.toMatchObject({
      method: 'legacy_api_key',
    });
    // apiKey is off here, so X-API-KEY is not a credential at all.
    expect((await rendered(s.verifier.verify(s.triple()))).error).toBeInstanceOf(MissingCredentialsError);
  });

  it('reads the query parameter only when enabled', async () => {
    const on = await withKey({ methods: { legacyApiKey: { query: 'api_key' } } });
    const query = (v: string) => (name: string) => (name === 'api_key' ? v : undefined);
    await expect(on.verifier.verify(headers({}), { query: query(on.secret) })).resolves.toMatchObject({
      method: 'legacy_api_key',
    });
    const off = await withKey({ methods: { apiKey: true, legacyApiKey: true } });
    const r = await rendered(off.verifier.verify(headers({}), { query: query(off.secret) }));
    expect(r.error).toBeInstanceOf(MissingCredentialsError);
  });

  it('refuses a key in both the header and the query as two credentials', async () => {
    const s = await withKey({ methods: { legacyApiKey: { query: 'api_key' } } });
    const r = await rendered(
      s.verifier.verify(headers({ 'x-api-key': s.secret }), { query: () => s.secret }),
    );
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('invalid_request');
  });
});
