/**
 * Guards the "never a hang" promise: a store pointed at a closed port fails with a typed error within its
 * command timeout, whatever retry settings the ioredis client has, and leaks no token in the error.
 */
import { inspect } from 'node:util';
import { clientCredentials, createTokenManager, LockError, StoreError } from '@auth/core';
import { startTokenServer, type TokenServer } from '@auth/testkit';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { redisTokenStore } from '../src/index.js';
import { freePort } from './redis-fixture.js';

const opened: Redis[] = [];
let server: TokenServer | undefined;

afterEach(async () => {
  for (const r of opened.splice(0)) r.disconnect();
  await server?.close();
  server = undefined;
});

async function closedPortClient(options: Record<string, unknown> = {}): Promise<Redis> {
  // ioredis defaults otherwise: 20 retries per request and an offline queue, the slowest way to fail.
  const redis = new Redis({ host: '127.0.0.1', port: await freePort(), ...options });
  redis.on('error', () => {});
  opened.push(redis);
  return redis;
}

async function timed<T>(run: () => Promise<T>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, ms: Date.now() - started };
}

describe('redisTokenStore with Redis unreachable', () => {
  it('fails reads and writes with StoreError within commandTimeout, even with ioredis default retries', async () => {
    const store = redisTokenStore({ redis: await closedPortClient(), commandTimeout: '300ms' });
    const secretSet = { accessToken: 'at_do_not_leak', tokenType: 'Bearer' as const, expiresAt: null, obtainedAt: 0 };
    const ops: Array<() => Promise<unknown>> = [
      () => store.get('k'),
      () => store.compareAndSet('k', secretSet, null),
      () => store.delete('k'),
    ];
    for (const op of ops) {
      const { error, ms } = await timed(op);
      expect(error).toBeInstanceOf(StoreError);
      expect(ms).toBeLessThan(1_000);
      expect(inspect(error, { depth: 10 })).not.toContain('at_do_not_leak');
    }
    await store.close();
  });

  it('fails lock calls with LockError, and waitForUpdate with StoreError, without waiting out a long timeout', async () => {
    const store = redisTokenStore({ redis: await closedPortClient({ maxRetriesPerRequest: 1 }), commandTimeout: '300ms' });
    const lock = await timed(() => store.acquireLock('k', 5_000));
    expect(lock.error).toBeInstanceOf(LockError);
    expect(lock.ms).toBeLessThan(1_000);
    const wait = await timed(() => store.waitForUpdate('k', null, 30_000));
    expect(wait.error).toBeInstanceOf(StoreError);
    expect(wait.ms).toBeLessThan(1_500);
    await store.close();
  });

  it('makes the token manager fail fast with StoreError and send no token request', async () => {
    server = await startTokenServer({ clients: [{ clientId: 'c', clientSecret: 's' }] });
    const store = redisTokenStore({ redis: await closedPortClient(), commandTimeout: '300ms' });
    const tokens = createTokenManager(
      clientCredentials({ tokenEndpoint: server.tokenEndpoint, clientId: 'c', clientSecret: 's' }),
      { store },
    );
    const results = await Promise.all(Array.from({ length: 50 }, () => timed(() => tokens.getAccessToken())));
    for (const { error, ms } of results) {
      expect(error).toBeInstanceOf(StoreError);
      expect(ms).toBeLessThan(1_000);
    }
    expect(server.counts.token).toBe(0);
    await store.close();
  });

  it('fails at once on a client the application already closed', async () => {
    const redis = await closedPortClient({ lazyConnect: true });
    redis.disconnect();
    const store = redisTokenStore({ redis, commandTimeout: '5s' });
    const { error, ms } = await timed(() => store.get('k'));
    expect(error).toBeInstanceOf(StoreError);
    expect(ms).toBeLessThan(500);
  });
});
