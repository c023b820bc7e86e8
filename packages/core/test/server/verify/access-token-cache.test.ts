/**
 * The verifier's warm cache of OAuth access-token principals: a repeat verification makes no store call
 * (and, for JWTs, no signature check), while revocation in this process still takes effect at once
 * through the invalidation events ({type:'token'} and {type:'family'}).
 */
import { describe, expect, it } from 'vitest';
import { errorResponse } from '../../../src/errors.js';
import { createAuthServer } from '../../../src/server/auth-server.js';
import type { AuthServerOptions } from '../../../src/server/auth-server.js';
import { secretStorageKey } from '../../../src/crypto/hash.js';
import { createInvalidationBus } from '../../../src/server/context.js';
import { generateAccessTokenSigningKey } from '../../../src/server/oauth/jwt-access-token.js';
import { countingStore, T0 } from './fixtures.js';

const ISSUER = 'http://127.0.0.1:4000';

async function setup(extra: Partial<AuthServerOptions> = {}) {
  const counted = countingStore();
  let now = T0;
  const bus = createInvalidationBus();
  const auth = createAuthServer({
    invalidation: bus,
    pepper: 'cache-test-pepper',
    issuer: ISSUER,
    store: counted.store,
    secrets: ['cache-test-secret-0123456789-abcdefghij'],
    now: () => now,
    methods: { bearer: true },
    accounts: { authenticate: async (u, p) => (u === 'ada' && p === 'pw' ? { userId: 'u1', businessId: 'b1' } : null) },
    ...extra,
    oauth: { grants: { password: true }, ...extra.oauth },
  });
  const { client, clientSecret } = await auth.clients.register({
    name: 'c',
    type: 'confidential',
    redirectUris: [],
    grantTypes: ['password', 'refresh_token', 'client_credentials'],
    scopes: ['read'],
  });
  const basic = `Basic ${Buffer.from(`${client.clientId}:${clientSecret}`).toString('base64')}`;
  const post = async (path: string, form: Record<string, string>) => {
    const res = await auth.handle(
      new Request(`${ISSUER}/oauth/${path}`, {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      }),
    );
    return { status: res.status, body: res.status === 200 && path === 'token' ? ((await res.json()) as Record<string, string>) : {} };
  };
  const tokens = async () => {
    const r = await post('token', { grant_type: 'password', username: 'ada', password: 'pw', scope: 'read' });
    expect(r.status).toBe(200);
    return r.body as { access_token: string; refresh_token: string };
  };
  const verify = (token: string) => auth.verify((name) => (name === 'authorization' ? `Bearer ${token}` : undefined));
  const status = async (token: string) => {
    try {
      await verify(token);
      return 200;
    } catch (error) {
      return errorResponse(error).status;
    }
  };
  // The stored hash of a token: what `{type:'token'}` events carry.
  const hashOf = (token: string) => secretStorageKey(token, 'cache-test-pepper');
  return { auth, bus, counted, post, tokens, verify, status, hashOf, advance: (ms: number) => (now += ms) };
}

describe('access-token principal cache', () => {
  it('serves a repeat verification of an opaque token without any store call', async () => {
    const s = await setup();
    const { access_token } = await s.tokens();
    const first = await s.verify(access_token);
    s.counted.reset();
    for (let i = 0; i < 20; i++) expect(await s.verify(access_token)).toEqual(first);
    expect(s.counted.total()).toBe(0);
  });

  it('serves a repeat verification of a JWT token without any store call', async () => {
    const s = await setup({ oauth: { accessTokens: { format: 'jwt', signingKeys: [await generateAccessTokenSigningKey()] } } });
    const { access_token } = await s.tokens();
    expect(access_token.split('.')).toHaveLength(3);
    await s.verify(access_token);
    s.counted.reset();
    for (let i = 0; i < 20; i++) await s.verify(access_token);
    expect(s.counted.total()).toBe(0);
  });

  it('single-flights concurrent cold verifications of one token', async () => {
    const s = await setup();
    const { access_token } = await s.tokens();
    s.counted.reset();
    await Promise.all(Array.from({ length: 20 }, () => s.verify(access_token)));
    expect(s.counted.count('findToken')).toBe(1);
  });

  it('refuses a cached access token at once after it is revoked (RFC 7009)', async () => {
    const s = await setup();
    const { access_token, refresh_token } = await s.tokens();
    expect(await s.status(access_token)).toBe(200);
    expect((await s.post('revoke', { token: access_token })).status).toBe(200);
    expect(await s.status(access_token)).toBe(401);
    // Its refresh token lives on, and the fresh access token verifies.
    const next = await s.post('token', { grant_type: 'refresh_token', refresh_token });
    expect(await s.status(next.body.access_token!)).toBe(200);
  });

  it('refuses every cached access token of a family at once when the family is revoked', async () => {
    const s = await setup();
    const first = await s.tokens();
    const second = (await s.post('token', { grant_type: 'refresh_token', refresh_token: first.refresh_token })).body;
    const other = await s.tokens(); // another family: unaffected
    for (const t of [first.access_token, second.access_token!, other.access_token]) expect(await s.status(t)).toBe(200);
    expect((await s.post('revoke', { token: second.refresh_token! })).status).toBe(200);
    expect(await s.status(first.access_token)).toBe(401);
    expect(await s.status(second.access_token!)).toBe(401);
    expect(await s.status(other.access_token)).toBe(200);
  });

  it('drops entries on events from elsewhere (a cross-process bus), token and family', async () => {
    const s = await setup();
    const a = await s.tokens();
    const b = await s.tokens();
    await s.verify(a.access_token);
    const pb = await s.verify(b.access_token);
    // Another process revoked them in the shared store and published the events.
    expect(await s.counted.inner.revokeToken(s.hashOf(a.access_token), T0)).not.toBeNull();
    await s.counted.inner.revokeFamily(pb.credentialId!, T0);
    expect(await s.status(a.access_token)).toBe(200); // cached: nothing announced yet
    s.bus.publish({ type: 'token', hash: s.hashOf(a.access_token) });
    s.bus.publish({ type: 'family', familyId: pb.credentialId! });
    expect(await s.status(a.access_token)).toBe(401);
    expect(await s.status(b.access_token)).toBe(401);
  });

  it('sees an unannounced revocation within the cache TTL: the documented cross-process bound', async () => {
    const s = await setup({ methods: { bearer: true, cache: { ttl: '10s' } } });
    const { access_token } = await s.tokens();
    await s.verify(access_token);
    expect(await s.counted.inner.revokeToken(s.hashOf(access_token), T0)).not.toBeNull();
    s.advance(9_999);
    expect(await s.status(access_token)).toBe(200);
    s.advance(1);
    expect(await s.status(access_token)).toBe(401);
  });

  it("refuses a cached token once the token's own expiry passes", async () => {
    const s = await setup({ lifetimes: { accessToken: '5s' }, methods: { bearer: true, cache: { ttl: '1h' } } });
    const { access_token } = await s.tokens();
    await s.verify(access_token);
    s.advance(5_000);
    expect(await s.status(access_token)).toBe(401);
  });

  it('hands out copies: a caller mutating its principal does not change the next one', async () => {
    const s = await setup();
    const { access_token } = await s.tokens();
    const p = await s.verify(access_token);
    (p.scopes as string[]).push('admin');
    expect((await s.verify(access_token)).scopes).toEqual(['read']);
  });

  it('looks every token up when the cache is off', async () => {
    const s = await setup({ methods: { bearer: true, cache: false } });
    const { access_token } = await s.tokens();
    await s.verify(access_token);
    s.counted.reset();
    await s.verify(access_token);
    await s.verify(access_token);
    expect(s.counted.count('findToken')).toBe(2);
  });

  it('stays bounded by maxEntries', async () => {
    const s = await setup({ methods: { bearer: true, cache: { maxEntries: 2 } } });
    const t = [await s.tokens(), await s.tokens(), await s.tokens()].map((x) => x.access_token);
    for (const x of t) await s.verify(x); // the first is evicted
    s.counted.reset();
    await s.verify(t[1]!);
    await s.verify(t[2]!);
    expect(s.counted.count('findToken')).toBe(0);
    await s.verify(t[0]!);
    expect(s.counted.count('findToken')).toBe(1);
  });
});

