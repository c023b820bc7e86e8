import { createAuthServer, type InvalidationEvent, InvalidTokenError, memoryAuthStore, StoreError } from '@auth/core';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { redisInvalidationBus } from '../src/index.js';
import { connectRedis, freePort, uniquePrefix } from './redis-fixture.js';

let client: Promise<Redis> | undefined;
const redis = (): Promise<Redis> => (client ??= connectRedis());
afterAll(async () => (await client?.catch(() => undefined))?.disconnect());

const waitFor = async (check: () => boolean, timeoutMs: number): Promise<number> => {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
  return Date.now() - started;
};

describe('redisInvalidationBus', () => {
  it('delivers an event to the other bus within milliseconds, and once to the publishing one', async () => {
    const channel = uniquePrefix('bus');
    const a = redisInvalidationBus({ redis: await redis(), channel });
    const b = redisInvalidationBus({ redis: (await redis()).duplicate(), channel });
    await Promise.all([a.ready, b.ready]);
    const onA: InvalidationEvent[] = [];
    const onB: InvalidationEvent[] = [];
    a.subscribe((e) => onA.push(e));
    b.subscribe((e) => onB.push(e));
    const event: InvalidationEvent = { type: 'credential', id: 'cred-1', hash: 'h1' };
    a.publish(event);
    expect(onA).toEqual([event]);
    const latency = await waitFor(() => onB.length === 1, 1_000);
    expect(onB).toEqual([event]);
    expect(latency).toBeLessThan(500);
    await new Promise((r) => setTimeout(r, 50));
    expect(onA).toHaveLength(1);
    await a.close();
    await b.close();
  });

  it('ignores malformed messages on the channel', async () => {
    const channel = uniquePrefix('bus-junk');
    const r = await redis();
    const bus = redisInvalidationBus({ redis: r, channel });
    await bus.ready;
    const seen: InvalidationEvent[] = [];
    bus.subscribe((e) => seen.push(e));
    await r.publish(channel, 'not json');
    await r.publish(channel, JSON.stringify({ o: 'x', e: { type: 'credential', id: 1 } }));
    await r.publish(channel, JSON.stringify({ o: 'x', e: { type: 'everything' } }));
    await r.publish(channel, JSON.stringify({ o: 'x', e: { type: 'family', familyId: 'f1' } }));
    await waitFor(() => seen.length === 1, 1_000);
    expect(seen).toEqual([{ type: 'family', familyId: 'f1' }]);
    await bus.close();
  });

  it('keeps local delivery and reports StoreError through onError when Redis is unreachable', async () => {
    const { Redis: RedisClient } = await import('ioredis');
    const down = new RedisClient({ host: '127.0.0.1', port: await freePort(), maxRetriesPerRequest: 1 });
    down.on('error', () => {});
    const errors: StoreError[] = [];
    const bus = redisInvalidationBus({ redis: down, commandTimeout: '300ms', onError: (e) => errors.push(e) });
    const started = Date.now();
    await expect(bus.ready).rejects.toBeInstanceOf(StoreError);
    expect(Date.now() - started).toBeLessThan(1_000);
    const seen: InvalidationEvent[] = [];
    bus.subscribe((e) => seen.push(e));
    bus.publish({ type: 'token', hash: 'h' });
    expect(seen).toEqual([{ type: 'token', hash: 'h' }]);
    await waitFor(() => errors.length >= 2, 1_000);
    expect(errors.every((e) => e instanceof StoreError)).toBe(true);
    await bus.close();
    down.disconnect();
  });

  it('drops a revoked API key from another server instance cache at once (in-process stand-in)', async () => {
    const channel = uniquePrefix('bus-auth');
    const store = memoryAuthStore();
    const options = { issuer: 'http://127.0.0.1', store, secrets: ['s'.repeat(32)], methods: { apiKey: true } };
    const busA = redisInvalidationBus({ redis: await redis(), channel });
    const busB = redisInvalidationBus({ redis: (await redis()).duplicate(), channel });
    await Promise.all([busA.ready, busB.ready]);
    const a = createAuthServer({ ...options, invalidation: busA });
    const b = createAuthServer({ ...options, invalidation: busB });
    const { secret, credential } = await a.apiKeys.create({ name: 'k', userId: 'u1', businessId: 'b1', scopes: ['read'] });
    const headers: Record<string, string> = { 'x-api-key': secret, 'x-business-id': 'b1', 'x-user-id': 'u1' };
    const get = (name: string) => headers[name];
    expect((await b.verify(get)).credentialId).toBe(credential.id); // now cached in b for 30 s
    await a.apiKeys.revoke(credential.id);
    let rejected = false;
    const deadline = Date.now() + 1_000;
    while (!rejected && Date.now() < deadline) {
      // A cache hit resolves in microtasks only: yield to I/O so the pub/sub message can arrive.
      await new Promise((r) => setTimeout(r, 1));
      rejected = await b.verify(get).then(
        () => false,
        (e) => e instanceof InvalidTokenError,
      );
    }
    expect(rejected).toBe(true);
    await a.close();
    await b.close();
    await busA.close();
    await busB.close();
  });
});
