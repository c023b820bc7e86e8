import { describe, expect, it, vi } from 'vitest';
import { CsrfError, InvalidTokenError, MissingCredentialsError } from '../../../src/errors.js';
import { headers, permissionsDirectory, rendered, setup } from './fixtures.js';

function withSession(options: Parameters<typeof setup>[0] = {}) {
  const s = setup(options);
  const issued = s.sessions.issue({ userId: 'u1', businessId: 'b1', scopes: ['read', 'write'] });
  const cookie = `${s.sessions.name}=${issued.value}`;
  return { ...s, issued, cookie };
}

describe('session cookie authentication through verify', () => {
  it('authenticates a GET with the cookie alone', async () => {
    const { verifier, cookie, issued } = withSession();
    await expect(verifier.verify(headers({ cookie }), { httpMethod: 'GET' })).resolves.toEqual({
      method: 'cookie',
      userId: 'u1',
      businessId: 'b1',
      clientId: null,
      scopes: ['read', 'write'],
      credentialId: issued.session.id,
      expiresAt: issued.session.expiresAt,
    });
  });

  it('demands a CSRF proof on unsafe methods: header or form field', async () => {
    const { verifier, cookie, issued } = withSession();
    const r = await rendered(verifier.verify(headers({ cookie }), { httpMethod: 'POST' }));
    expect(r.error).toBeInstanceOf(CsrfError);
    expect(r.status).toBe(403);
    expect(r.headers['www-authenticate']).toBe('Cookie');
    await expect(
      verifier.verify(headers({ cookie, 'x-csrf-token': issued.csrfToken }), { httpMethod: 'DELETE' }),
    ).resolves.toMatchObject({ method: 'cookie' });
    await expect(
      verifier.verify(headers({ cookie }), { httpMethod: 'PUT', csrfToken: issued.csrfToken }),
    ).resolves.toMatchObject({ method: 'cookie' });
    // A missing method counts as unsafe.
    expect((await rendered(verifier.verify(headers({ cookie })))).status).toBe(403);
  });

  it('refuses a cross-site unsafe request even with the token', async () => {
    const { verifier, cookie, issued } = withSession();
    const h = headers({ cookie, 'x-csrf-token': issued.csrfToken, 'sec-fetch-site': 'cross-site' });
    expect((await rendered(verifier.verify(h, { httpMethod: 'POST' }))).error).toBeInstanceOf(CsrfError);
    const evil = headers({ cookie, 'x-csrf-token': issued.csrfToken, origin: 'https://evil.example' });
    expect((await rendered(verifier.verify(evil, { httpMethod: 'PATCH' }))).status).toBe(403);
    const ours = headers({ cookie, 'x-csrf-token': issued.csrfToken, origin: 'https://api.example.com' });
    await expect(verifier.verify(ours, { httpMethod: 'PATCH' })).resolves.toBeTruthy();
  });

  it('accepts Origin: null only from a same-origin form post (a page with Referrer-Policy: no-referrer)', async () => {
    const { verifier, cookie, issued } = withSession();
    const ownPage = headers({ cookie, 'x-csrf-token': issued.csrfToken, origin: 'null', 'sec-fetch-site': 'same-origin' });
    await expect(verifier.verify(ownPage, { httpMethod: 'POST' })).resolves.toMatchObject({ method: 'cookie' });
    // Without Sec-Fetch-Site, or from a sandboxed / cross-site context, an opaque origin is refused.
    const bare = headers({ cookie, 'x-csrf-token': issued.csrfToken, origin: 'null' });
    expect((await rendered(verifier.verify(bare, { httpMethod: 'POST' }))).error).toBeInstanceOf(CsrfError);
    const sandboxed = headers({ cookie, 'x-csrf-token': issued.csrfToken, origin: 'null', 'sec-fetch-site': 'cross-site' });
    expect((await rendered(verifier.verify(sandboxed, { httpMethod: 'POST' }))).status).toBe(403);
    // The token is still required.
    const noToken = headers({ cookie, origin: 'null', 'sec-fetch-site': 'same-origin' });
    expect((await rendered(verifier.verify(noToken, { httpMethod: 'POST' }))).error).toBeInstanceOf(CsrfError);
  });

  it('answers a tampered, expired or revoked cookie with 401 invalid_token', async () => {
    const revoked = new Set<string>();
    const s = withSession({ cookies: { isRevoked: (id) => revoked.has(id), maxAge: '1h' } });
    const tampered = `${s.sessions.name}=${s.issued.value.slice(0, -2)}xx`;
    const r = await rendered(s.verifier.verify(headers({ cookie: tampered }), { httpMethod: 'GET' }));
    expect(r.error).toBeInstanceOf(InvalidTokenError);
    expect(r.headers['www-authenticate']).toBe(
      'Cookie error="invalid_token", error_description="The session is invalid or has expired"',
    );
    revoked.add(s.issued.session.id);
    expect((await rendered(s.verifier.verify(headers({ cookie: s.cookie }), { httpMethod: 'GET' }))).status).toBe(401);
    revoked.clear();
    s.advance(3_600_000);
    expect((await rendered(s.verifier.verify(headers({ cookie: s.cookie }), { httpMethod: 'GET' }))).status).toBe(401);
  });

  it('answers two session cookies with 400', async () => {
    const s = withSession();
    const other = s.sessions.issue({ userId: 'u2' }).value;
    const r = await rendered(
      s.verifier.verify(headers({ cookie: `${s.cookie}; ${s.sessions.name}=${other}` }), { httpMethod: 'GET' }),
    );
    expect(r.status).toBe(400);
  });

  it('lets an explicit credential win over an ambient cookie', async () => {
    const s = withSession();
    const pat = await s.managers.personalTokens.create({ name: 't', userId: 'u9', scopes: [] });
    const h = headers({ cookie: `${s.sessions.name}=garbage`, authorization: `Bearer ${pat.secret}` });
    await expect(s.verifier.verify(h, { httpMethod: 'POST' })).resolves.toMatchObject({
      method: 'personal_token',
      userId: 'u9',
    });
  });

  it('ignores the cookie on routes that do not accept it', async () => {
    const { verifier, cookie } = withSession();
    const r = await rendered(verifier.verify(headers({ cookie }), { httpMethod: 'GET', allow: ['api_key'] }));
    expect(r.error).toBeInstanceOf(MissingCredentialsError);
    expect(r.headers['www-authenticate']).toBe('ApiKey');
  });

  it('intersects the session scopes with current permissions', async () => {
    const perms = permissionsDirectory();
    perms.set('u1', 'b1', ['read']);
    const { verifier, cookie } = withSession({ accounts: perms.accounts });
    const p = await verifier.verify(headers({ cookie }), { httpMethod: 'GET' });
    expect(p.scopes).toEqual(['read']);
    const r = await rendered(verifier.verify(headers({ cookie }), { httpMethod: 'GET', scopes: ['write'] }));
    expect(r.status).toBe(403);
    expect(r.headers['www-authenticate']).toContain('Cookie error="insufficient_scope"');
  });
});

describe('warm session cookies: opened once, checked every time', () => {
  function warmSession(options: Parameters<typeof setup>[0] = {}) {
    const s = withSession(options);
    const unseal = vi.spyOn(s.ctx.sealer, 'unseal');
    return { ...s, unseal, get: (extra: Record<string, string> = {}) => headers({ cookie: s.cookie, ...extra }) };
  }

  it('decrypts a repeated cookie value once', async () => {
    const s = warmSession();
    for (let i = 0; i < 5; i++) await expect(s.verifier.verify(s.get(), { httpMethod: 'GET' })).resolves.toMatchObject({ method: 'cookie' });
    expect(s.unseal).toHaveBeenCalledTimes(1);
  });

  it('decrypts every time with the cache off', async () => {
    const s = warmSession({ methods: { cookie: true, cache: false } });
    await s.verifier.verify(s.get(), { httpMethod: 'GET' });
    await s.verifier.verify(s.get(), { httpMethod: 'GET' });
    expect(s.unseal).toHaveBeenCalledTimes(2);
  });

  it('stops accepting a warm session the moment isRevoked says so (logout), and asks on every request', async () => {
    const revoked = new Set<string>();
    const isRevoked = vi.fn((id: string) => revoked.has(id));
    const s = warmSession({ cookies: { isRevoked } });
    await s.verifier.verify(s.get(), { httpMethod: 'GET' });
    await s.verifier.verify(s.get(), { httpMethod: 'GET' });
    expect(isRevoked).toHaveBeenCalledTimes(2);
    revoked.add(s.issued.session.id);
    expect((await rendered(s.verifier.verify(s.get(), { httpMethod: 'GET' }))).status).toBe(401);
    expect(s.unseal).toHaveBeenCalledTimes(1);
  });

  it('awaits an asynchronous isRevoked on warm hits too', async () => {
    let revoked = false;
    const s = warmSession({ cookies: { isRevoked: async () => revoked } });
    await s.verifier.verify(s.get(), { httpMethod: 'GET' });
    revoked = true;
    expect((await rendered(s.verifier.verify(s.get(), { httpMethod: 'GET' }))).status).toBe(401);
  });

  it("never outlives the session's own expiry, even with a longer cache TTL", async () => {
    const s = warmSession({ cookies: { maxAge: '1m' }, methods: { cookie: true, cache: { ttl: '1h' } } });
    await s.verifier.verify(s.get(), { httpMethod: 'GET' });
    s.advance(59_999);
    await expect(s.verifier.verify(s.get(), { httpMethod: 'GET' })).resolves.toBeTruthy();
    s.advance(1);
    expect((await rendered(s.verifier.verify(s.get(), { httpMethod: 'GET' }))).status).toBe(401);
  });

  it('runs the CSRF checks on every unsafe request with a warm session', async () => {
    const s = warmSession();
    await s.verifier.verify(s.get(), { httpMethod: 'GET' });
    expect((await rendered(s.verifier.verify(s.get(), { httpMethod: 'POST' }))).error).toBeInstanceOf(CsrfError);
    const crossSite = s.get({ 'x-csrf-token': s.issued.csrfToken, 'sec-fetch-site': 'cross-site' });
    expect((await rendered(s.verifier.verify(crossSite, { httpMethod: 'POST' }))).error).toBeInstanceOf(CsrfError);
    const evil = s.get({ 'x-csrf-token': s.issued.csrfToken, origin: 'https://evil.example' });
    expect((await rendered(s.verifier.verify(evil, { httpMethod: 'DELETE' }))).status).toBe(403);
    await expect(s.verifier.verify(s.get({ 'x-csrf-token': s.issued.csrfToken }), { httpMethod: 'POST' })).resolves.toBeTruthy();
    expect(s.unseal).toHaveBeenCalledTimes(1);
  });

  it('still answers a duplicated warm cookie with 400', async () => {
    const s = warmSession();
    await s.verifier.verify(s.get(), { httpMethod: 'GET' });
    const twice = headers({ cookie: `${s.cookie}; ${s.cookie}` });
    expect((await rendered(s.verifier.verify(twice, { httpMethod: 'GET' }))).status).toBe(400);
  });

  it('asks the permissions hook on every warm request', async () => {
    const perms = permissionsDirectory();
    perms.set('u1', 'b1', ['read', 'write']);
    const s = warmSession({ accounts: perms.accounts });
    await s.verifier.verify(s.get(), { httpMethod: 'GET' });
    perms.set('u1', 'b1', null);
    expect((await rendered(s.verifier.verify(s.get(), { httpMethod: 'GET' }))).status).toBe(401);
    expect(perms.calls()).toBe(2);
  });

  it('hands out principals that do not alias the cached session', async () => {
    const s = warmSession();
    const first = await s.verifier.verify(s.get(), { httpMethod: 'GET' });
    (first.scopes as string[]).push('admin');
    await expect(s.verifier.verify(s.get(), { httpMethod: 'GET' })).resolves.toMatchObject({ scopes: ['read', 'write'] });
  });
});
