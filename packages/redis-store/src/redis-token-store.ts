/**
 * The client {@link TokenStore} on Redis: token sets shared by every process, compare-and-set writes,
 * renewal locks with an owner-checked lease, and pub/sub wake-ups for processes waiting on a renewal.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import {
  type CompareAndSetResult,
  ConfigError,
  type Duration,
  LockError,
  StoreError,
  type StoredTokenSet,
  type TokenSet,
  type TokenStore,
  type TokenStoreLock,
  toMs,
} from '@auth/core';
import type { Redis } from 'ioredis';
import { DEFAULT_COMMAND_TIMEOUT_MS, redisCall } from './redis-command.js';
import { compareAndSetScript, deleteScript, extendLockScript, releaseLockScript } from './token-store-scripts.js';
import { createUpdateChannels } from './update-channels.js';

/** Options of {@link redisTokenStore}. */
export interface RedisTokenStoreOptions {
  /**
   * An ioredis client, shared with the rest of the app if you like. The store duplicates it once for its
   * pub/sub subscriber. `maxRetriesPerRequest: 1` is recommended so commands fail fast while Redis is
   * down; the store bounds every call with `commandTimeout` either way.
   */
  redis: Redis;
  /** Prefix of every key and channel. Default `auth:`. */
  prefix?: string;
  /** Longest wait for one Redis round trip before a `StoreError` / `LockError`. Default `'5s'`. */
  commandTimeout?: Duration;
  /**
   * Expire token sets this long after their last write, so abandoned subjects do not stay forever.
   * Default: no expiry (a refresh token may outlive its access token by days).
   */
  entryTtl?: Duration;
  /**
   * Polling fallback of `waitForUpdate` (pub/sub wake-ups come first): the first re-read after
   * `initial`, then doubling up to `max`. Defaults `'25ms'` and `'1s'`.
   */
  poll?: { initial?: Duration; max?: Duration };
}

/** A {@link TokenStore} on Redis. */
export interface RedisTokenStore extends TokenStore {
  acquireLock(key: string, leaseMs: number): Promise<TokenStoreLock | null>;
  waitForUpdate(key: string, sinceVersion: string | null, timeoutMs: number): Promise<void>;
  /** Close the store's own subscriber connection. The client you passed stays open. */
  close(): Promise<void>;
}

function ms(value: Duration | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  try {
    return toMs(value);
  } catch (cause) {
    throw new ConfigError(`redisTokenStore: ${what} is not a valid duration`, { cause });
  }
}

const newId = () => randomBytes(16).toString('base64url');

function isTokenSet(value: unknown): value is TokenSet {
  const set = value as Partial<TokenSet> | null;
  return typeof set === 'object' && set !== null && typeof set.accessToken === 'string' && set.tokenType === 'Bearer';
}

/**
 * Share a token manager's cache, and its renewals, between every process that uses the same Redis.
 *
 * - `compareAndSet` is one Lua script: a late writer never overwrites a newer refresh token.
 * - `acquireLock` is `SET NX PX` with a random owner; only that owner extends (`PEXPIRE`) or releases
 *   (`DEL`) it, each in a compare-first script. The token manager extends the lease while a slow token
 *   request is in flight.
 * - `waitForUpdate` subscribes to the key's channel (every write publishes) and polls with backoff as a
 *   fallback, always returning by `timeoutMs`.
 * - Every call is bounded by `commandTimeout`: an unreachable Redis gives a `StoreError` (or a
 *   `LockError` for lock calls), never a hang.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { clientCredentials, createTokenManager } from '@auth/core';
 * import { redisTokenStore } from '@auth/redis-store';
 *
 * const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
 * const tokens = createTokenManager(clientCredentials({ tokenEndpoint, clientId, clientSecret }), {
 *   store: redisTokenStore({ redis }),
 * });
 * const accessToken = await tokens.getAccessToken(); // one token request across all replicas
 * ```
 */
export function redisTokenStore(options: RedisTokenStoreOptions): RedisTokenStore {
  const redis = options?.redis;
  if (!redis || typeof redis.evalsha !== 'function' || typeof redis.duplicate !== 'function') {
    throw new ConfigError('redisTokenStore: `redis` must be an ioredis client');
  }
  const prefix = options.prefix ?? 'auth:';
  if (typeof prefix !== 'string') throw new ConfigError('redisTokenStore: `prefix` must be a string');
  const timeoutMs = ms(options.commandTimeout, DEFAULT_COMMAND_TIMEOUT_MS, 'commandTimeout');
  const ttlMs = ms(options.entryTtl, 0, 'entryTtl');
  const pollInitialMs = Math.max(1, ms(options.poll?.initial, 25, 'poll.initial'));
  const pollMaxMs = Math.max(pollInitialMs, ms(options.poll?.max, 1000, 'poll.max'));
  if (timeoutMs <= 0) throw new ConfigError('redisTokenStore: `commandTimeout` must be positive');

  const entryKey = (key: string) => `${prefix}tokens:${key}`;
  const lockKey = (key: string) => `${prefix}lock:${key}`;
  const channel = (key: string) => `${prefix}updates:${key}`;
  const channels = createUpdateChannels(redis, timeoutMs);

  const call = <T>(what: string, run: () => Promise<T>) => redisCall(what, timeoutMs, StoreError, run);
  const lockCall = <T>(what: string, run: () => Promise<T>) => redisCall(what, timeoutMs, LockError, run);

  async function currentVersion(key: string): Promise<string | null> {
    return call('HGET (token set version)', () => redis.hget(entryKey(key), 'v'));
  }

  function checkLease(leaseMs: number): void {
    if (!Number.isInteger(leaseMs) || leaseMs <= 0) throw new ConfigError('lock lease must be a positive integer (ms)');
  }

  return {
    async get(key): Promise<StoredTokenSet | null> {
      const [version, json] = await call('HMGET (token set)', () => redis.hmget(entryKey(key), 'v', 't'));
      if (version === null || version === undefined || json === null || json === undefined) return null;
      let tokenSet: unknown;
      try {
        tokenSet = JSON.parse(json);
      } catch {
        tokenSet = undefined;
      }
      // The message names the key's namespace only: the value may hold tokens.
      if (!isTokenSet(tokenSet)) throw new StoreError('A stored token set is not valid; delete it to recover');
      return { tokenSet, version };
    },

    async compareAndSet(key, tokenSet, expectedVersion): Promise<CompareAndSetResult> {
      const version = newId();
      const json = JSON.stringify(tokenSet);
      const won = await call('EVALSHA (compare-and-set)', () =>
        compareAndSetScript.run(redis, [entryKey(key)], [expectedVersion ?? '', version, json, channel(key), ttlMs]),
      );
      return won === 1 ? { ok: true, version } : { ok: false };
    },

    async delete(key, expectedVersion) {
      const checked = expectedVersion === undefined ? '0' : '1';
      const deleted = await call('EVALSHA (delete)', () =>
        deleteScript.run(redis, [entryKey(key)], [checked, expectedVersion ?? '', channel(key)]),
      );
      return deleted === 1;
    },

    async acquireLock(key, leaseMs): Promise<TokenStoreLock | null> {
      checkLease(leaseMs);
      const owner = newId();
      const name = lockKey(key);
      const taken = await lockCall('SET NX PX (lock)', () => redis.set(name, owner, 'PX', leaseMs, 'NX'));
      if (taken !== 'OK') return null;
      return {
        async extend(nextLeaseMs) {
          checkLease(nextLeaseMs);
          const extended = await lockCall('EVALSHA (extend lock)', () =>
            extendLockScript.run(redis, [name], [owner, nextLeaseMs]),
          );
          return extended === 1;
        },
        async release() {
          await lockCall('EVALSHA (release lock)', () => releaseLockScript.run(redis, [name], [owner]));
        },
      };
    },

    async waitForUpdate(key, sinceVersion, waitMs) {
      const deadline = Date.now() + Math.max(0, waitMs);
      const listener = channels.listen(channel(key));
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        // Subscribe before reading, so a write between the read and the subscription still wakes us.
        await Promise.race([
          listener.ready,
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, Math.max(0, Math.min(timeoutMs, deadline - Date.now())));
          }),
        ]);
        clearTimeout(timer);
        let delay = pollInitialMs;
        for (;;) {
          if ((await currentVersion(key)) !== sinceVersion) return;
          const remaining = deadline - Date.now();
          if (remaining <= 0) return;
          const woke = await Promise.race([
            listener.fired.then(() => true),
            new Promise<false>((resolve) => {
              timer = setTimeout(() => resolve(false), Math.min(delay, remaining));
            }),
          ]);
          clearTimeout(timer);
          if (woke) return;
          delay = Math.min(delay * 2, pollMaxMs);
        }
      } finally {
        clearTimeout(timer);
        listener.stop();
      }
    },

    close: () => channels.close(),
  };
}
