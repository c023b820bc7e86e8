/**
 * Loaded by the SQL provider child (packages/sql-store/test/multiprocess/provider-child.ts) through
 * BUS_MODULE, so that child gets a Redis invalidation bus without sql-store depending on ioredis.
 */
import type { InvalidationBus } from '@auth/core';
import { Redis } from 'ioredis';
import { redisInvalidationBus } from '../../src/index.js';

/** A Redis bus on REDIS_URL and BUS_CHANNEL; fails the child at once when Redis is unreachable. */
export function createBus(env: NodeJS.ProcessEnv): InvalidationBus & { ready: Promise<void> } {
  const redis = new Redis(env.REDIS_URL!, { maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  return redisInvalidationBus({ redis, channel: env.BUS_CHANNEL!, commandTimeout: '3s' });
}
