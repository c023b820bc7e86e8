import { describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../../src/server/context.js';
import type { AuthStore, CredentialRecord } from '../../../src/server/store.js';
import { memoryAuthStore } from '../../../src/store/memory-auth-store.js';
import { headers, rendered, setup, T0 } from './fixtures.js';

async function withPat(options: Parameters<typeof setup>[0] = {}) {
  const s = setup(options);
  const pat = await s.managers.personalTokens.create({ name: 't', userId: 'u1', scopes: ['read'] });
  const bearer = headers({ authorization: `Bearer ${pat.secret}` });
  return { ...s, pat, bearer };
}

describe('warm credential cache', () => {
  it('serves a repeat verification without any store call', async () => {
    const { verifier, bearer, counted } = await withPat();
    await verifier.verify(bearer);
    counted.reset();
    for (let i = 0; i < 50; i++) await verifier.verify(bearer);
    expect(counted.total()).toBe(0);
  });

  it('single-flights concurrent cold lookups of one credential', async () => {
    const { verifier, bearer, counted } = await withPat();
    counted.reset();
    const all = await Promise.all(Array.from({ length: 20 }, () => verifier.verify(bearer)));
    expect(all.every((p) => p.method === 'personal_token')).toBe(true);
    expect(counted.count('findCredentialByHash')).toBe(1);
  });

  it('drops a revoked credential at once when it is revoked in this process', async () => {
    const { verifier, bearer, managers, pat } = await withPat();
    await verifier.verify(bearer);
    await managers.personalTokens.revoke(pat.credential.id);
    expect((await rendered(verifier.verify(bearer))).status).toBe(401);
  });

  it('drops an entry on an invalidation event from elsewhere (a cross-process bus)', async () => {
    const { verifier, bearer, ctx, counted, pat } = await withPat();
    await verifier.verify(bearer);
    // Another process revoked it in the shared store and published the event.
    const record = (await counted.inner.getCredential(pat.credential.id))!;
    await counted.inner.updateCredential(record.id, { revokedAt: T0 });
    ctx.invalidation.publish({ type: 'credential', id: record.id, hash: record.hash });
    expect((await rendered(verifier.verify(bearer))).status).toBe(401);
  });

  it('sees an unannounced store change within the TTL: the documented staleness bound', async () => {
    const { verifier, bearer, counted, pat, advance } = await withPat({ methods: { bearer: true, cache: { ttl: '10s' } } });
    await verifier.verify(bearer);
    await counted.inner.updateCredential(pat.credential.id, { revokedAt: T0 });
    advance(9_999);
    await expect(verifier.verify(bearer)).resolves.toBeTruthy();
    advance(1);
    expect((await rendered(verifier.verify(bearer))).status).toBe(401);
  });

  it('refuses a cached record once its own expiry passes', async () => {
    const s = setup({ methods: { bearer: true, cache: { ttl: '1h' } } });
    const { secret } = await s.managers.personalTokens.create({ name: 't', userId: 'u', scopes: [], expiresIn: '5s' });
    const h = headers({ authorization: `Bearer ${secret}` });
    await s.verifier.verify(h);
    s.advance(5_000);
    expect((await rendered(s.verifier.verify(h))).status).toBe(401);
  });

  it('stays bounded: the least recently used entry is evicted', async () => {
    const s = setup({ methods: { bearer: true, cache: { maxEntries: 2 } } });
    const tokens = await Promise.all(
      ['a', 'b', 'c'].map((n) => s.managers.personalTokens.create({ name: n, userId: 'u', scopes: [] })),
    );
    const h = tokens.map((t) => headers({ authorization: `Bearer ${t.secret}` }));
    await s.verifier.verify(h[0]!);
    await s.verifier.verify(h[1]!);
    await s.verifier.verify(h[0]!); // a is now the most recent
    await s.verifier.verify(h[2]!); // evicts b
    s.counted.reset();
    await s.verifier.verify(h[0]!);
    await s.verifier.verify(h[2]!);
    expect(s.counted.count('findCredentialByHash')).toBe(0);
    await s.verifier.verify(h[1]!);
    expect(s.counted.count('findCredentialByHash')).toBe(1);
  });

  it('with the cache off, looks every verification up', async () => {
    const { verifier, bearer, counted } = await withPat({ methods: { bearer: true, cache: false } });
    counted.reset();
    await verifier.verify(bearer);
    await verifier.verify(bearer);
    expect(counted.count('findCredentialByHash')).toBe(2);
  });

  it('does not let a lookup that raced a revocation refill the cache', async () => {
    const inner = memoryAuthStore();
    let gate: (() => void) | undefined;
    const slow: AuthStore = {
      ...inner,
      async findCredentialByHash(hash) {
        const record = await inner.findCredentialByHash(hash);
        if (gate === undefined) await new Promise<void>((resolve) => (gate = resolve));
        return record;
      },
    };
    const s = setup({ store: slow });
    const pat = await s.managers.personalTokens.create({ name: 't', userId: 'u', scopes: [] });
    const h = headers({ authorization: `Bearer ${pat.secret}` });
    const racing = s.verifier.verify(h);
    await vi.waitFor(() => expect(gate).toBeDefined());
    await s.managers.personalTokens.revoke(pat.credential.id);
    gate!();
    // The racing request read the record before the revocation; it may pass. The next one may not.
    await racing;
    expect((await rendered(s.verifier.verify(h))).status).toBe(401);
  });
});

describe('last-used times, batched off the hot path', () => {
  it('writes nothing per request and everything in one batch on close()', async () => {
    const s = await withPat();
    const other = await s.managers.apiKeys.create({ name: 'k', userId: 'u1', businessId: 'b1', scopes: [] });
    const keyHeaders = headers({ 'x-api-key': other.secret, 'x-business-id': 'b1', 'x-user-id': 'u1' });
    for (let i = 0; i < 5; i++) {
      s.advance(1000);
      await s.verifier.verify(s.bearer);
      await s.verifier.verify(keyHeaders);
    }
    expect(s.counted.count('touchCredentials')).toBe(0);
    expect((await s.counted.inner.getCredential(s.pat.credential.id))!.lastUsedAt).toBeNull();
    await s.verifier.close();
    expect(s.counted.count('touchCredentials')).toBe(1);
    expect((await s.counted.inner.getCredential(s.pat.credential.id))!.lastUsedAt).toBe(T0 + 5000);
    expect((await s.counted.inner.getCredential(other.credential.id))!.lastUsedAt).toBe(T0 + 5000);
  });

  it('flushes on its timer', async () => {
    const s = await withPat({ methods: { bearer: true, lastUsedFlushInterval: '20ms' } });
    await s.verifier.verify(s.bearer);
    await vi.waitFor(() => expect(s.counted.count('touchCredentials')).toBe(1), { timeout: 2000, interval: 10 });
    const record: CredentialRecord | null = await s.counted.inner.getCredential(s.pat.credential.id);
    expect(record?.lastUsedAt).toBe(T0);
    await s.verifier.close();
  });

  it('logs a failed write without secrets and keeps verifying', async () => {
    const inner = memoryAuthStore();
    const failing: AuthStore = {
      ...inner,
      async touchCredentials() {
        throw new Error('connection reset');
      },
    };
    const warnings: unknown[] = [];
    const logger: Logger = { warn: (...args) => warnings.push(args), error: () => {} };
    const s = setup({ store: failing, core: { logger } });
    const pat = await s.managers.personalTokens.create({ name: 't', userId: 'u', scopes: [] });
    const h = headers({ authorization: `Bearer ${pat.secret}` });
    await s.verifier.verify(h);
    await expect(s.verifier.close()).resolves.toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings)).not.toContain(pat.secret);
    await expect(s.verifier.verify(h)).resolves.toBeTruthy();
  });
});
