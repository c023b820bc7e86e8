import { inspect } from 'node:util';
import { ConfigError, StoreError, type TokenSet } from '@auth/core';
import { tokenStoreContract } from '@auth/testkit';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { type RedisTokenStore, redisTokenStore } from '../src/index.js';
import { connectRedis, deletePrefix, freePort, uniquePrefix } from './redis-fixture.js';

// Connected once; a failure is kept, so without Redis every test fails with the reason.
let client: Promise<Redis> | undefined;
const redis = (): Promise<Redis> => (client ??= connectRedis());
const prefix = uniquePrefix('token-store');

afterAll(async () => {
  const r = await client?.catch(() => undefined);
  if (r) {
    await deletePrefix(r, prefix);
    r.disconnect();
  }
});

tokenStoreContract('redisTokenStore', async () => redisTokenStore({ redis: await redis(), prefix }), {
  teardown: (store) => (store as RedisTokenStore).close(),
});

function tokenSet(accessToken: string, extra: Partial<TokenSet> = {}): TokenSet {
  return { accessToken, tokenType: 'Bearer', expiresAt: Date.now() + 60_000, obtainedAt: Date.now(), ...extra };
}

describe('redisTokenStore specifics', () => {
  it('keeps a newer refresh token when a late writer presents the version it read before', async () => {
    const a = redisTokenStore({ redis: await redis(), prefix });
    const b = redisTokenStore({ redis: (await redis()).duplicate(), prefix });
    try {
      const key = `late-writer:${Date.now()}`;
      const first = await a.compareAndSet(key, tokenSet('at-1', { refreshToken: 'rt-1' }), null);
      if (!first.ok) throw new Error('create failed');
      // Two "processes" read version 1; A rotates first, B's answer arrives later.
      expect((await a.compareAndSet(key, tokenSet('at-2', { refreshToken: 'rt-2' }), first.version)).ok).toBe(true);
      expect((await b.compareAndSet(key, tokenSet('at-2b', { refreshToken: 'rt-2b' }), first.version)).ok).toBe(false);
      expect((await b.get(key))?.tokenSet.refreshToken).toBe('rt-2');
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('stores the lock under its own namespace with a lease that Redis expires', async () => {
    const r = await redis();
    const store = redisTokenStore({ redis: r, prefix });
    const lock = await store.acquireLock('lease-key', 1_000);
    const ttl = await r.pttl(`${prefix}lock:lease-key`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1_000);
    expect(await lock!.extend(5_000)).toBe(true);
    expect(await r.pttl(`${prefix}lock:lease-key`)).toBeGreaterThan(1_000);
    await lock!.release();
    expect(await r.exists(`${prefix}lock:lease-key`)).toBe(0);
    await store.close();
  });

  it('wakes a waiter through pub/sub well before its polling backoff would', async () => {
    const r = await redis();
    // Polling alone would re-read only after 5 s.
    const store = redisTokenStore({ redis: r, prefix, poll: { initial: '5s', max: '5s' } });
    const writer = redisTokenStore({ redis: r, prefix });
    const key = `pubsub:${Date.now()}`;
    const created = await writer.compareAndSet(key, tokenSet('a1'), null);
    if (!created.ok) throw new Error('create failed');
    const started = Date.now();
    const waiting = store.waitForUpdate(key, created.version, 8_000);
    setTimeout(() => void writer.compareAndSet(key, tokenSet('a2'), created.version), 100);
    await waiting;
    expect(Date.now() - started).toBeLessThan(1_500);
    await store.close();
    await writer.close();
  });

  it('falls back to polling when the subscriber connection cannot be opened', async () => {
    const r = await redis();
    const store = redisTokenStore({ redis: r, prefix, poll: { initial: '20ms', max: '50ms' } });
    const key = `poll:${Date.now()}`;
    const created = await store.compareAndSet(key, tokenSet('a1'), null);
    if (!created.ok) throw new Error('create failed');
    // A subscriber that never connects: duplicate() points at a closed port.
    const realDuplicate = r.duplicate.bind(r);
    const closedPort = await freePort();
    r.duplicate = ((override) => realDuplicate({ ...override, port: closedPort, retryStrategy: () => null })) as Redis['duplicate'];
    try {
      const started = Date.now();
      const waiting = store.waitForUpdate(key, created.version, 5_000);
      // A write that publishes nothing the waiter could hear.
      setTimeout(() => void r.hset(`${prefix}tokens:${key}`, 'v', 'changed-behind-its-back'), 100);
      await waiting;
      expect(Date.now() - started).toBeLessThan(2_500);
    } finally {
      r.duplicate = realDuplicate as Redis['duplicate'];
      await store.close();
    }
  });

  it('refuses a non-client and bad durations with ConfigError', async () => {
    expect(() => redisTokenStore({ redis: {} as Redis })).toThrow(ConfigError);
    const r = await redis();
    expect(() => redisTokenStore({ redis: r, commandTimeout: 'soon' as never })).toThrow(ConfigError);
  });

  it('reports a corrupted entry as a StoreError without echoing its content', async () => {
    const r = await redis();
    const store = redisTokenStore({ redis: r, prefix });
    await r.hset(`${prefix}tokens:corrupt`, 'v', '1', 't', '{"accessToken":"at_secret_value"');
    const err = await store.get('corrupt').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect(inspect(err, { depth: 5 })).not.toContain('at_secret_value');
    await store.close();
  });
});
