import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** The Redis the suite needs. CI and this machine provide it; override with AUTH_TEST_REDIS_URL. */
export const REDIS_URL = process.env.AUTH_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A connected client, or an error naming what is missing: the Redis suite is required, never skipped.
 * `maxRetriesPerRequest: 1` is what the README recommends.
 */
export async function connectRedis(): Promise<Redis> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, connectTimeout: 2000, lazyConnect: true });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    throw new Error(
      `Redis is unreachable at ${REDIS_URL} (${(err as Error).message}). ` +
        'The @auth/redis-store suite requires it: start Redis or set AUTH_TEST_REDIS_URL.',
    );
  }
  return redis;
}

/** A prefix no other run shares, so tests never see each other's keys. */
export function uniquePrefix(label: string): string {
  return `authtest:${label}:${process.pid}:${randomBytes(4).toString('hex')}:`;
}

/** Delete every key under `prefix` (SCAN, never KEYS). */
export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
}

/** A loopback port nothing listens on (bound, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
