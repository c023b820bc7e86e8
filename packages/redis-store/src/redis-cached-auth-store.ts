/**
 * A Redis cache in front of the server's verification reads, shared by every process, with revocation
 * fan-out by deletion: {@link redisCachedAuthStore}.
 *
 * @module
 */
import {
  type AuthStore,
  ConfigError,
  type CredentialRecord,
  type Duration,
  type RotateRefreshForInput,
  type RotateRefreshResult,
  StoreError,
  type TokenRecord,
  toMs,
} from '@auth/core';
import type { Redis } from 'ioredis';
import {
  invalidateFamilyScript,
  invalidateScript,
  readScript,
  refillCredentialScript,
  refillTokenScript,
} from './cached-auth-store-scripts.js';
import { redisCall } from './redis-command.js';

/** Options of {@link redisCachedAuthStore}. */
export interface RedisCachedAuthStoreOptions {
  /** An ioredis client; `maxRetriesPerRequest: 1` is recommended so a Redis outage fails fast. */
  redis: Redis;
  /** Prefix of every key. Default `auth:cache:`. Give each deployment (and each pepper) its own. */
  prefix?: string;
  /**
   * How long a cached record lives. Default `'30s'`. It bounds staleness only when an invalidation could
   * not reach Redis (see the module docs); revocations through the wrapper delete the entries at once.
   */
  ttl?: Duration;
  /**
   * Bound on each Redis round trip. Default `'500ms'`: a read that times out falls through to the store,
   * so this is the most the cache can add to a verification while Redis hangs.
   */
  commandTimeout?: Duration;
  /**
   * Told about every failed cache call (a `StoreError` with no secrets and no record data). The store's
   * answer is used regardless. Default: ignored.
   */
  onError?: (error: StoreError) => void;
}

/** Default of {@link RedisCachedAuthStoreOptions.ttl}. */
const DEFAULT_TTL_MS = 30_000;
/** Default of {@link RedisCachedAuthStoreOptions.commandTimeout}. */
const DEFAULT_CACHE_TIMEOUT_MS = 500;
/**
 * Longest a store read may take (from its Redis stamp to its refill reaching Redis) and still be cached;
 * tombstones live exactly this long, so a refill the scripts accept can never outlive the tombstone that
 * would refuse it.
 */
const REFILL_WINDOW_MS = 5_000;
/** After a failed read, reads skip Redis this long, so an outage costs one timeout, not one per request. */
const BYPASS_MS = 1_000;

function duration(value: Duration | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  let ms: number;
  try {
    ms = toMs(value);
  } catch (cause) {
    throw new ConfigError(`redisCachedAuthStore: \`${what}\` is not a valid duration`, { cause });
  }
  if (ms <= 0) throw new ConfigError(`redisCachedAuthStore: \`${what}\` must be positive`);
  return ms;
}

/**
 * Wrap an {@link AuthStore} with a Redis cache of the two verification reads, `findCredentialByHash` (API
 * keys, personal tokens, `Secret`s, client secrets) and `findToken` (OAuth access and refresh tokens),
 * shared by every process using the same Redis and prefix. Every other method goes straight to `store`.
 *
 * - **What is cached**: found records only, as JSON, for `ttl` (30 s by default). A miss is never cached,
 *   so a credential or token created a moment ago works at once.
 * - **Invalidation**: `updateCredential`, `revokeToken`, `revokeFamily`, `rotateRefreshToken(For)`,
 *   `saveTokens` and `deleteExpired` delete the affected entries after the store commits and before they
 *   return, so the change is seen by every process at once. Each family keeps a Redis set of its cached
 *   token hashes for `revokeFamily`. `touchCredentials` does not invalidate: a cached credential's
 *   `lastUsedAt` may lag by up to `ttl` (the verifier never reads it; `getCredential` is not cached).
 * - **Refill race**: a reader that fetched a record just before a revocation could write it back into the
 *   cache just after the deletion. Each read is stamped with Redis time; each invalidation leaves a
 *   tombstone holding its Redis time; a refill is refused when a tombstone is as new as its stamp, or when
 *   the read took longer than the tombstones live (5 s). `deleteExpired` moves an epoch instead.
 * - **Redis down**: every call is bounded by `commandTimeout`; reads fall through to `store` (and skip
 *   Redis for a second after a failure), writes still succeed, failures go to `onError`. An invalidation
 *   that failed leaves other processes serving the old record until its `ttl` runs out: that is the
 *   worst-case revocation bound.
 * - **Keys** hold record hashes and family ids, never secrets: `<prefix>cred:<hash>`, `<prefix>tok:<hash>`,
 *   `<prefix>fam:<familyId>`, `<prefix>tomb:*`, `<prefix>epoch:tok`. Scripts build token keys from the
 *   prefix, so on Redis Cluster put a hash tag in the prefix (`{auth}:cache:`).
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { createAuthServer } from '@auth/core';
 * import { postgresAuthStore } from '@auth/sql-store';
 * import { redisCachedAuthStore, redisInvalidationBus } from '@auth/redis-store';
 *
 * const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
 * const auth = createAuthServer({
 *   issuer, secrets,
 *   store: redisCachedAuthStore(postgresAuthStore({ connectionString: process.env.DATABASE_URL! }), {
 *     redis, onError: (err) => console.warn(err.message),
 *   }),
 *   invalidation: redisInvalidationBus({ redis }),
 * });
 * ```
 */
export function redisCachedAuthStore(store: AuthStore, options: RedisCachedAuthStoreOptions): AuthStore {
  if (!store || typeof store.findCredentialByHash !== 'function' || typeof store.findToken !== 'function') {
    throw new ConfigError('redisCachedAuthStore: `store` must be an AuthStore');
  }
  const redis = options?.redis;
  if (!redis || typeof redis.evalsha !== 'function') {
    throw new ConfigError('redisCachedAuthStore: `redis` must be an ioredis client');
  }
  const prefix = options.prefix ?? 'auth:cache:';
  if (typeof prefix !== 'string') throw new ConfigError('redisCachedAuthStore: `prefix` must be a string');
  const ttlMs = duration(options.ttl, DEFAULT_TTL_MS, 'ttl');
  const timeoutMs = duration(options.commandTimeout, DEFAULT_CACHE_TIMEOUT_MS, 'commandTimeout');
  const onError = options.onError ?? (() => {});

  const credKey = (hash: string) => `${prefix}cred:${hash}`;
  const credTomb = (hash: string) => `${prefix}tomb:cred:${hash}`;
  const tokPrefix = `${prefix}tok:`;
  const tokKey = (hash: string) => `${tokPrefix}${hash}`;
  const tokTomb = (hash: string) => `${prefix}tomb:tok:${hash}`;
  const famKey = (familyId: string) => `${prefix}fam:${familyId}`;
  const famTomb = (familyId: string) => `${prefix}tomb:fam:${familyId}`;
  const epochKey = `${prefix}epoch:tok`;

  let bypassUntil = 0;

  /** Run a cache call; on failure report it and answer `undefined` (the caller then uses the store). */
  async function cache<T>(what: string, run: () => Promise<T>): Promise<T | undefined> {
    try {
      return await redisCall(what, timeoutMs, StoreError, run);
    } catch (err) {
      onError(err as StoreError);
      return undefined;
    }
  }

  /** A read through the cache: the entry if fresh, else the store's answer, cached if found. */
  async function readThrough<R>(
    kind: 'credential' | 'token',
    keys: string[],
    parse: (entry: unknown, epoch: string) => R | null,
    load: () => Promise<R | null>,
    refill: (record: R, stamp: string, epoch: string) => Promise<unknown>,
  ): Promise<R | null> {
    if (Date.now() < bypassUntil) return load();
    const read = await cache(`GET (${kind} cache)`, () => readScript.run(redis, keys, []));
    if (read === undefined) {
      bypassUntil = Date.now() + BYPASS_MS;
      return load();
    }
    const [value, epoch, stamp] = read as [string, string, string];
    if (value !== '') {
      const cached = parseJson(value, (entry) => parse(entry, epoch));
      if (cached) return cached;
    }
    const record = await load();
    if (record !== null) await cache(`SET (${kind} cache)`, () => refill(record, stamp, epoch));
    return record;
  }

  /** Delete entries and stamp their tombstones; `pairs` alternates entry key and tombstone key. */
  async function invalidate(pairs: string[]): Promise<void> {
    if (pairs.length === 0) return;
    await cache('DEL (cache invalidation)', () => invalidateScript.run(redis, pairs, [REFILL_WINDOW_MS]));
  }

  const tokenPairs = (hashes: readonly string[]) => hashes.flatMap((hash) => [tokKey(hash), tokTomb(hash)]);
  /** After a rotation: the parent, and the successors unless it surely lost (it may have committed if it threw). */
  const rotationPairs = (result: RotateRefreshResult | undefined, parent: string, successors: readonly { hash: string }[]) =>
    tokenPairs(result && result.status !== 'rotated' ? [parent] : [parent, ...successors.map((s) => s.hash)]);
  const rotateFor = store.rotateRefreshTokenFor?.bind(store);

  /** Run a write on the store, then invalidate, whether the write returned or threw (it may have committed). */
  async function thenInvalidate<T>(write: () => Promise<T>, pairs: (result: T | undefined) => string[]): Promise<T> {
    let result: T | undefined;
    try {
      result = await write();
      return result;
    } finally {
      await invalidate(pairs(result));
    }
  }

  return {
    createCredential: (record) => store.createCredential(record),

    findCredentialByHash(hash) {
      return readThrough<CredentialRecord>(
        'credential',
        [credKey(hash)],
        (record) => record as CredentialRecord,
        () => store.findCredentialByHash(hash),
        (record, stamp) =>
          refillCredentialScript.run(redis, [credKey(hash), credTomb(hash)], [
            JSON.stringify(record),
            stamp,
            ttlMs,
            REFILL_WINDOW_MS,
          ]),
      );
    },

    getCredential: (id) => store.getCredential(id),
    listCredentials: (filter) => store.listCredentials(filter),

    async updateCredential(id, patch) {
      let updated: CredentialRecord | null;
      try {
        updated = await store.updateCredential(id, patch);
      } catch (err) {
        // The update may have committed; the hash never changes, so look it up to invalidate anyway.
        const current = await store.getCredential(id).catch(() => null);
        if (current) await invalidate([credKey(current.hash), credTomb(current.hash)]);
        throw err;
      }
      if (updated) await invalidate([credKey(updated.hash), credTomb(updated.hash)]);
      return updated;
    },

    // Last-used times only: cached entries keep the old `lastUsedAt` until their TTL (documented above).
    touchCredentials: (lastUsed) => store.touchCredentials(lastUsed),

    createClient: (record) => store.createClient(record),
    getClient: (clientId) => store.getClient(clientId),
    listClients: (filter) => store.listClients(filter),
    updateClient: (clientId, patch) => store.updateClient(clientId, patch),
    saveAuthorizationCode: (record) => store.saveAuthorizationCode(record),
    consumeAuthorizationCode: (hash, now) => store.consumeAuthorizationCode(hash, now),

    saveTokens(records) {
      // The memory store overwrites on a known hash, so a save can change a cached record.
      return thenInvalidate(
        () => store.saveTokens(records),
        () => tokenPairs(records.map((r) => r.hash)),
      );
    },

    findToken(hash) {
      return readThrough<TokenRecord>(
        'token',
        [tokKey(hash), epochKey],
        (entry, epoch) => ((entry as TokenEntry).e === epoch ? (entry as TokenEntry).r : null),
        () => store.findToken(hash),
        (record, stamp, epoch) =>
          refillTokenScript.run(
            redis,
            [tokKey(hash), tokTomb(hash), famTomb(record.familyId), famKey(record.familyId), epochKey],
            [JSON.stringify({ e: epoch, r: record }), stamp, ttlMs, REFILL_WINDOW_MS, epoch, hash],
          ),
      );
    },

    rotateRefreshToken(input) {
      return thenInvalidate(
        () => store.rotateRefreshToken(input),
        (result) => rotationPairs(result, input.hash, input.successorRecords),
      );
    },
    // Only when the wrapped store has it: the token endpoint then falls back to findToken + rotateRefreshToken.
    ...(rotateFor && {
      rotateRefreshTokenFor: (input: RotateRefreshForInput) =>
        thenInvalidate(
          () => rotateFor(input),
          (result) => rotationPairs(result, input.hash, input.successors),
        ),
    }),

    revokeToken(hash, now) {
      return thenInvalidate(
        () => store.revokeToken(hash, now),
        () => tokenPairs([hash]),
      );
    },

    async revokeFamily(familyId, now) {
      try {
        return await store.revokeFamily(familyId, now);
      } finally {
        await cache('DEL (family invalidation)', () =>
          invalidateFamilyScript.run(redis, [famKey(familyId), famTomb(familyId)], [REFILL_WINDOW_MS, tokPrefix]),
        );
      }
    },

    async deleteExpired(now) {
      try {
        return await store.deleteExpired(now);
      } finally {
        // The store does not say which tokens it deleted or cleared: retire every cached token at once.
        await cache('INCR (token cache epoch)', () => redis.incr(epochKey));
      }
    },

    async close() {
      await store.close?.();
    },
  };
}

/** A cached token: the record and the `deleteExpired` epoch it was read in (older epochs are ignored). */
interface TokenEntry {
  e: string;
  r: TokenRecord;
}

/** Parse an entry written by this module; anything unreadable counts as a miss. */
function parseJson<R>(value: string, pick: (entry: unknown) => R | null): R | null {
  let entry: unknown;
  try {
    entry = JSON.parse(value);
  } catch {
    return null;
  }
  return typeof entry === 'object' && entry !== null ? pick(entry) : null;
}
