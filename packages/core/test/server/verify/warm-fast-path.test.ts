/**
 * The verifier's warm path: a repeat of an exact header value skips parsing, the checksum and the hash
 * (`ctx.hash` is not called), yet every check that depends on more than the value still runs on every
 * request: revocation, invalidation events, the TTL, the credential's own expiry, header repeats, a second
 * credential, `allow`, `scopes` and the permissions hook. Each test first proves the path is warm.
 */
import { describe, expect, it, vi } from 'vitest';
import { InsufficientScopeError, InvalidRequestError, InvalidTokenError } from '../../../src/errors.js';
import type { Principal } from '../../../src/server/principal.js';
import { nodeHeaderAccessor } from '../../../src/server/verify/header-accessor.js';
import type { Duration } from '../../../src/util/duration.js';
import { headers, permissionsDirectory, rendered, setup, T0 } from './fixtures.js';

async function warmPat(options: Parameters<typeof setup>[0] = {}, expiresIn?: Duration) {
  const s = setup(options);
  const input = { name: 't', userId: 'u1', scopes: ['read'] };
  const pat = await s.managers.personalTokens.create(expiresIn === undefined ? input : { ...input, expiresIn });
  const value = `Bearer ${pat.secret}`;
  const bearer = headers({ authorization: value });
  await s.verifier.verify(bearer);
  const hash = vi.spyOn(s.ctx, 'hash');
  return { ...s, pat, value, bearer, hash };
}

async function warmKey(options: Parameters<typeof setup>[0] = {}) {
  const s = setup(options);
  const key = await s.managers.apiKeys.create({ name: 'k', userId: 'u1', businessId: 'b1', scopes: ['read', 'write'] });
  const triple = { 'x-api-key': key.secret, 'x-business-id': 'b1', 'x-user-id': 'u1' };
  await s.verifier.verify(headers(triple));
  const hash = vi.spyOn(s.ctx, 'hash');
  return { ...s, key, triple, hash };
}

describe('warm path: what it skips', () => {
  it('does not hash or touch the store on a repeat of the exact value', async () => {
    const s = await warmPat();
    s.counted.reset();
    for (let i = 0; i < 10; i++) await expect(s.verifier.verify(s.bearer)).resolves.toMatchObject({ method: 'personal_token' });
    expect(s.hash).not.toHaveBeenCalled();
    expect(s.counted.total()).toBe(0);
  });

  it('is off with the cache off: every request is hashed and looked up', async () => {
    const s = await warmPat({ methods: { bearer: true, cache: false } });
    s.counted.reset();
    await s.verifier.verify(s.bearer);
    await s.verifier.verify(s.bearer);
    expect(s.hash).toHaveBeenCalledTimes(2);
    expect(s.counted.count('findCredentialByHash')).toBe(2);
  });

  it('is off with maxEntries 0', async () => {
    const s = await warmPat({ methods: { bearer: true, cache: { maxEntries: 0 } } });
    await s.verifier.verify(s.bearer);
    expect(s.hash).toHaveBeenCalledTimes(1);
  });

  it('hands out principals that do not alias its state', async () => {
    const s = await warmPat();
    const first: Principal = await s.verifier.verify(s.bearer);
    (first.scopes as string[]).push('admin');
    first.userId = 'someone-else';
    await expect(s.verifier.verify(s.bearer)).resolves.toMatchObject({ userId: 'u1', scopes: ['read'] });
    expect(s.hash).not.toHaveBeenCalled();
  });
});

describe('warm path: revocation and invalidation', () => {
  it('keeps a second spelling warm beside the first, and a revocation drops both', async () => {
    const s = await warmPat();
    const other = headers({ authorization: `bearer  ${s.pat.secret}` });
    await s.verifier.verify(other); // full path once: hashed
    await s.verifier.verify(other);
    await s.verifier.verify(s.bearer);
    expect(s.hash).toHaveBeenCalledTimes(1);
    await s.managers.personalTokens.revoke(s.pat.credential.id);
    for (const h of [s.bearer, other]) expect((await rendered(s.verifier.verify(h))).status).toBe(401);
  });

  it('refuses a PAT on the very next request after it is revoked through the manager', async () => {
    const s = await warmPat();
    await s.verifier.verify(s.bearer);
    expect(s.hash).not.toHaveBeenCalled();
    await s.managers.personalTokens.revoke(s.pat.credential.id);
    const r = await rendered(s.verifier.verify(s.bearer));
    expect(r.status).toBe(401);
    expect(r.error).toBeInstanceOf(InvalidTokenError);
  });

  it('refuses an API key on the very next request after it is revoked through the manager', async () => {
    const s = await warmKey();
    await s.managers.apiKeys.revoke(s.key.credential.id);
    expect((await rendered(s.verifier.verify(headers(s.triple)))).status).toBe(401);
  });

  it('forgets the value when an invalidation event for its hash arrives from elsewhere', async () => {
    const s = await warmPat();
    const record = (await s.counted.inner.getCredential(s.pat.credential.id))!;
    await s.counted.inner.updateCredential(record.id, { revokedAt: T0 });
    s.ctx.invalidation.publish({ type: 'credential', id: record.id, hash: record.hash });
    expect((await rendered(s.verifier.verify(s.bearer))).status).toBe(401);
    // The full path ran again: the value was parsed and hashed.
    expect(s.hash).toHaveBeenCalledTimes(1);
  });

  it('re-reads the store once the TTL has passed, and sees an unannounced revocation then', async () => {
    const s = await warmPat({ methods: { bearer: true, cache: { ttl: '10s' } } });
    await s.counted.inner.updateCredential(s.pat.credential.id, { revokedAt: T0 });
    s.advance(9_999);
    await expect(s.verifier.verify(s.bearer)).resolves.toBeTruthy();
    s.advance(1);
    s.counted.reset();
    expect((await rendered(s.verifier.verify(s.bearer))).status).toBe(401);
    expect(s.counted.count('findCredentialByHash')).toBe(1);
  });

  it("refuses a warm credential once its own expiry passes, whatever the cache's TTL", async () => {
    const s = await warmPat({ methods: { bearer: true, cache: { ttl: '1h' } } }, '5s');
    s.advance(4_999);
    await expect(s.verifier.verify(s.bearer)).resolves.toBeTruthy();
    expect(s.hash).not.toHaveBeenCalled();
    s.advance(1);
    expect((await rendered(s.verifier.verify(s.bearer))).status).toBe(401);
  });
});

describe('warm path: header rules still apply', () => {
  it('answers 400 for a repeated Authorization header even when the value is warm', async () => {
    const s = await warmPat();
    const twice = await rendered(s.verifier.verify(headers({ authorization: [s.value, s.value] })));
    expect(twice.status).toBe(400);
    expect(twice.error).toBeInstanceOf(InvalidRequestError);
    // As Headers.get joins a repeat.
    expect((await rendered(s.verifier.verify(headers({ authorization: `${s.value}, ${s.value}` })))).status).toBe(400);
  });

  it('answers 400 for a repeated Authorization line on a Node request (rawHeaders) with the value warm', async () => {
    const s = await warmPat();
    const once = { headers: { authorization: s.value }, rawHeaders: ['Host', 'x', 'Authorization', s.value] };
    await expect(s.verifier.verify(nodeHeaderAccessor(once))).resolves.toBeTruthy();
    // Node keeps only the first line in `req.headers`; rawHeaders shows the repeat.
    const twice = {
      headers: { authorization: s.value },
      rawHeaders: ['Host', 'x', 'Authorization', s.value, 'authorization', s.value],
    };
    expect((await rendered(s.verifier.verify(nodeHeaderAccessor(twice)))).status).toBe(400);
    // Any spelling of the name counts, not only the two the accessor matches without lowercasing.
    const oddOnce = { headers: { authorization: s.value }, rawHeaders: ['Host', 'x', 'AUTHORIZATION', s.value] };
    await expect(s.verifier.verify(nodeHeaderAccessor(oddOnce))).resolves.toMatchObject({ userId: 'u1' });
    const oddTwice = {
      headers: { authorization: s.value },
      rawHeaders: ['AuThOrIzAtIoN', s.value, 'Host', 'x', 'authorization', s.value],
    };
    expect((await rendered(s.verifier.verify(nodeHeaderAccessor(oddTwice)))).status).toBe(400);
  });

  it('answers 400 when a second credential comes with a warm one', async () => {
    const s = await warmPat({ methods: { apiKey: true, bearer: true } });
    const both = headers({ authorization: s.value, 'x-api-key': 'ak_whatever' });
    expect((await rendered(s.verifier.verify(both))).status).toBe(400);
    const empty = headers({ authorization: s.value, 'x-api-key': '' });
    expect((await rendered(s.verifier.verify(empty))).status).toBe(400);
  });

  it('answers 400 for a warm key with a repeated id header', async () => {
    const s = await warmKey();
    const repeated = headers({ ...s.triple, 'x-user-id': 'u1, u1' });
    expect((await rendered(s.verifier.verify(repeated))).status).toBe(400);
  });

  it('takes the full path for another spelling of a warm value, and accepts it', async () => {
    const s = await warmPat();
    await expect(s.verifier.verify(headers({ authorization: ` bearer   ${s.pat.secret} ` }))).resolves.toMatchObject({
      method: 'personal_token',
    });
    expect(s.hash).toHaveBeenCalledTimes(1);
  });
});

describe('warm path: per-request checks', () => {
  it('still applies the route allow list', async () => {
    const s = await warmPat({ methods: { apiKey: true, bearer: true } });
    const r = await rendered(s.verifier.verify(s.bearer, { allow: ['api_key'] }));
    expect(r.status).toBe(401);
    expect(r.error).toBeInstanceOf(InvalidTokenError);
    await expect(s.verifier.verify(s.bearer, { allow: ['personal_token'] })).resolves.toBeTruthy();
  });

  it('refuses, warm, on a default route a method that only a route of its own allowed', async () => {
    const s = setup({ methods: { apiKey: true, bearer: true, defaultAllow: ['api_key'] } });
    const pat = await s.managers.personalTokens.create({ name: 't', userId: 'u1', scopes: ['read'] });
    const bearer = headers({ authorization: `Bearer ${pat.secret}` });
    // Remembered while verified on a route that lists it (the repeat is warm: not hashed again)...
    await expect(s.verifier.verify(bearer, { allow: ['personal_token'] })).resolves.toMatchObject({ userId: 'u1' });
    const hash = vi.spyOn(s.ctx, 'hash');
    await expect(s.verifier.verify(bearer, { allow: ['personal_token'] })).resolves.toMatchObject({ userId: 'u1' });
    expect(hash).not.toHaveBeenCalled();
    // ...and still not taken where the default allow list leaves personal tokens out.
    expect(s.verifier.verifyWarm(bearer)).toBeUndefined();
    const r = await rendered(s.verifier.verify(bearer));
    expect(r.status).toBe(401);
  });

  it('still checks the route scopes', async () => {
    const s = await warmPat();
    const r = await rendered(s.verifier.verify(s.bearer, { scopes: ['write'] }));
    expect(r.status).toBe(403);
    expect(r.error).toBeInstanceOf(InsufficientScopeError);
    await expect(s.verifier.verify(s.bearer, { scopes: ['read'] })).resolves.toBeTruthy();
  });

  it('asks the permissions hook on every warm hit: a removed permission or user takes effect at once', async () => {
    const dir = permissionsDirectory();
    dir.set('u1', 'b1', ['read', 'write']);
    const s = await warmKey({ methods: { apiKey: true }, accounts: dir.accounts });
    const before = dir.calls();
    await expect(s.verifier.verify(headers(s.triple))).resolves.toMatchObject({ scopes: ['read', 'write'] });
    expect(dir.calls()).toBe(before + 1);
    expect(s.hash).not.toHaveBeenCalled();
    dir.set('u1', 'b1', ['read']);
    await expect(s.verifier.verify(headers(s.triple))).resolves.toMatchObject({ scopes: ['read'] });
    dir.set('u1', 'b1', null);
    expect((await rendered(s.verifier.verify(headers(s.triple)))).status).toBe(401);
  });

  it('refuses a warm key sent with another business or user, or without them', async () => {
    const s = await warmKey();
    for (const change of [{ 'x-business-id': 'b2' }, { 'x-user-id': 'u2' }, { 'x-user-id': undefined }]) {
      const r = await rendered(s.verifier.verify(headers({ ...s.triple, ...change })));
      expect(r.status).toBe(401);
    }
    await expect(s.verifier.verify(headers(s.triple))).resolves.toMatchObject({ method: 'api_key', businessId: 'b1' });
  });

  it('notes the last-used time on warm hits', async () => {
    const s = await warmPat();
    s.advance(7_000);
    await s.verifier.verify(s.bearer);
    await s.verifier.close();
    expect((await s.counted.inner.getCredential(s.pat.credential.id))!.lastUsedAt).toBe(T0 + 7_000);
  });
});

describe('warm path: values keyed by a number made from their tail', () => {
  it('never takes a different value with the same key (same length and ending) for a remembered one', async () => {
    const s = setup({ methods: { bearer: true } });
    const jwtLike = `${'a'.repeat(80)}.${'b'.repeat(80)}.${'c'.repeat(80)}`;
    s.accessTokens.set(jwtLike, {
      method: 'access_token',
      userId: 'u1',
      businessId: null,
      clientId: 'c1',
      scopes: ['read'],
      credentialId: 'family-1',
      expiresAt: null,
    });
    await s.verifier.verify(headers({ authorization: `Bearer ${jwtLike}` }));
    await s.verifier.verify(headers({ authorization: `Bearer ${jwtLike}` }));
    expect(s.oauthCalls).toHaveLength(1);
    // Same last characters, different token: must reach the authorization server, which refuses it.
    const forged = `${'z'.repeat(80)}.${'b'.repeat(80)}.${'c'.repeat(80)}`;
    expect((await rendered(s.verifier.verify(headers({ authorization: `Bearer ${forged}` })))).status).toBe(401);
    expect(s.oauthCalls).toEqual([jwtLike, forged]);
    await expect(s.verifier.verify(headers({ authorization: `Bearer ${jwtLike}` }))).resolves.toMatchObject({ clientId: 'c1' });
  });
});

describe('verifyWarm: the same answer in the same turn, or none', () => {
  it('answers only a repeat of a verified value, with what verify answers, without hashing', async () => {
    const s = setup();
    const pat = await s.managers.personalTokens.create({ name: 't', userId: 'u1', scopes: ['read'] });
    const bearer = headers({ authorization: `Bearer ${pat.secret}` });
    expect(s.verifier.verifyWarm(bearer)).toBeUndefined();
    const verified = await s.verifier.verify(bearer);
    const hash = vi.spyOn(s.ctx, 'hash');
    expect(s.verifier.verifyWarm(bearer)).toEqual(verified);
    expect(s.verifier.verifyWarm(bearer, { scopes: ['read'], allow: ['personal_token'] })).toEqual(verified);
    expect(hash).not.toHaveBeenCalled();
  });

  it('has no answer once the credential is revoked; verify then refuses it', async () => {
    const s = await warmPat();
    expect(s.verifier.verifyWarm(s.bearer)).toMatchObject({ method: 'personal_token' });
    await s.managers.personalTokens.revoke(s.pat.credential.id);
    expect(s.verifier.verifyWarm(s.bearer)).toBeUndefined();
    expect((await rendered(s.verifier.verify(s.bearer))).status).toBe(401);
  });

  it('leaves a missing scope, a refused scheme and a second credential to verify, which answers 403 and 400', async () => {
    const s = await warmPat();
    expect(s.verifier.verifyWarm(s.bearer, { scopes: ['write'] })).toBeUndefined();
    expect((await rendered(s.verifier.verify(s.bearer, { scopes: ['write'] }))).status).toBe(403);
    expect(s.verifier.verifyWarm(s.bearer, { allow: ['api_key'] })).toBeUndefined();
    const two = headers({ authorization: s.value, 'x-api-key': 'ak_whatever' });
    expect(s.verifier.verifyWarm(two)).toBeUndefined();
    expect((await rendered(s.verifier.verify(two))).status).toBe(400);
  });

  it('has no answer while accounts.permissions is configured (asked every request)', async () => {
    const dir = permissionsDirectory();
    dir.set('u1', 'b1', ['read', 'write']);
    const k = await warmKey({ methods: { apiKey: true }, accounts: dir.accounts });
    const calls = dir.calls();
    expect(k.verifier.verifyWarm(headers(k.triple))).toBeUndefined();
    expect(dir.calls()).toBe(calls);
    await expect(k.verifier.verify(headers(k.triple))).resolves.toMatchObject({ method: 'api_key' });
  });

  it('answers a valid session cookie that passes the CSRF checks, unless isRevoked must be asked', async () => {
    const s = setup();
    const issued = s.sessions.issue({ userId: 'u1', scopes: ['read'] });
    const cookie = `${s.sessions.name}=${issued.value}`;
    const verified = await s.verifier.verify(headers({ cookie }), { httpMethod: 'GET' });
    expect(s.verifier.verifyWarm(headers({ cookie }), { httpMethod: 'GET' })).toEqual(verified);
    // An unsafe request without the CSRF token: verify decides (403).
    expect(s.verifier.verifyWarm(headers({ cookie }), { httpMethod: 'POST' })).toBeUndefined();
    expect((await rendered(s.verifier.verify(headers({ cookie }), { httpMethod: 'POST' }))).status).toBe(403);
    const withToken = headers({ cookie, [s.sessions.csrfHeader]: issued.csrfToken });
    expect(s.verifier.verifyWarm(withToken, { httpMethod: 'POST' })).toEqual(verified);
    // A tampered cookie, two cookies of the name: verify answers 401 and 400.
    const tampered = headers({ cookie: `${cookie.slice(0, -2)}xx` });
    expect(s.verifier.verifyWarm(tampered, { httpMethod: 'GET' })).toBeUndefined();
    expect((await rendered(s.verifier.verify(tampered, { httpMethod: 'GET' }))).status).toBe(401);
    const twice = headers({ cookie: `${cookie}; ${cookie}` });
    expect(s.verifier.verifyWarm(twice, { httpMethod: 'GET' })).toBeUndefined();

    const revokedIds = new Set<string>();
    const r = setup({ cookies: { isRevoked: (id) => revokedIds.has(id) } });
    const other = `${r.sessions.name}=${r.sessions.issue({ userId: 'u1' }).value}`;
    await expect(r.verifier.verify(headers({ cookie: other }), { httpMethod: 'GET' })).resolves.toMatchObject({ method: 'cookie' });
    expect(r.verifier.verifyWarm(headers({ cookie: other }), { httpMethod: 'GET' })).toBeUndefined();
  });

  it('never throws: bad options and a throwing header accessor are left to verify', async () => {
    const s = await warmPat();
    const throwing = () => {
      throw new Error('boom');
    };
    expect(s.verifier.verifyWarm(throwing)).toBeUndefined();
    expect(s.verifier.verifyWarm(s.bearer, { scopes: 'read' as unknown as string[] })).toBeUndefined();
    expect(s.verifier.verifyWarm(undefined as unknown as typeof s.bearer)).toBeUndefined();
    await expect(s.verifier.verify(s.bearer, { scopes: 'read' as unknown as string[] })).rejects.toMatchObject({ code: 'ERR_CONFIG' });
  });
});
