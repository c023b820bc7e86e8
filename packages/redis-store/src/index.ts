/**
 * `@auth/redis-store`: Redis for `@auth/core` when one process is not enough.
 *
 * - Client side: {@link redisTokenStore}, a shared token cache with cross-process single-flight renewal.
 * - Server side: {@link redisInvalidationBus}, revocation fan-out to every process's verification cache,
 *   and {@link redisCachedAuthStore}, a shared Redis cache of credential and token lookups in front of any
 *   `AuthStore`, invalidated by every write that can change a cached record.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { redisCachedAuthStore, redisInvalidationBus, redisTokenStore } from '@auth/redis-store';
 *
 * const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
 * const store = redisTokenStore({ redis });            // createTokenManager(grant, { store })
 * const invalidation = redisInvalidationBus({ redis }); // createAuthServer({ ..., invalidation })
 * const cached = redisCachedAuthStore(postgresStore, { redis }); // createAuthServer({ ..., store: cached })
 * ```
 *
 * @module
 */
export { type RedisTokenStore, type RedisTokenStoreOptions, redisTokenStore } from './redis-token-store.js';
export {
  type RedisInvalidationBus,
  type RedisInvalidationBusOptions,
  redisInvalidationBus,
} from './redis-invalidation-bus.js';
export {
  type RedisCachedAuthStoreOptions,
  redisCachedAuthStore,
} from './redis-cached-auth-store.js';
