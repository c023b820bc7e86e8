/**
 * Revocation fan-out between processes: the {@link InvalidationBus} of `@auth/core` over Redis pub/sub.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import {
  ConfigError,
  type Duration,
  type InvalidationBus,
  type InvalidationEvent,
  StoreError,
  toMs,
} from '@auth/core';
import type { Redis } from 'ioredis';
import { DEFAULT_COMMAND_TIMEOUT_MS, redisCall } from './redis-command.js';

/** Options of {@link redisInvalidationBus}. */
export interface RedisInvalidationBusOptions {
  /** An ioredis client used to publish; the bus duplicates it once for its subscriber connection. */
  redis: Redis;
  /** Pub/sub channel shared by every process of one deployment. Default `auth:invalidation`. */
  channel?: string;
  /** Bound on subscribing and on each publish. Default `'5s'`. */
  commandTimeout?: Duration;
  /**
   * Told about publishes and subscriptions that failed (a `StoreError`, no secrets). Default: ignored,
   * since the verification cache TTL still bounds how long a missed revocation is served.
   */
  onError?: (error: StoreError) => void;
}

/** An {@link InvalidationBus} over Redis. */
export interface RedisInvalidationBus extends InvalidationBus {
  /** Settles once the subscriber listens: resolves, or rejects with a `StoreError` after `commandTimeout`. */
  readonly ready: Promise<void>;
  /** Stop listening and close the subscriber connection. The client you passed stays open. */
  close(): Promise<void>;
}

const TYPES = new Set(['credential', 'token', 'family', 'client']);

function parseEvent(raw: string): { origin: string; event: InvalidationEvent } | null {
  let message: unknown;
  try {
    message = JSON.parse(raw);
  } catch {
    return null;
  }
  const { o, e } = (message ?? {}) as { o?: unknown; e?: Record<string, unknown> };
  if (typeof o !== 'string' || typeof e !== 'object' || e === null || !TYPES.has(e.type as string)) return null;
  const strings = (...names: string[]) => names.every((n) => typeof e[n] === 'string');
  if (e.type === 'credential' && strings('id', 'hash')) return { origin: o, event: { type: 'credential', id: e.id as string, hash: e.hash as string } };
  if (e.type === 'token' && strings('hash')) return { origin: o, event: { type: 'token', hash: e.hash as string } };
  if (e.type === 'family' && strings('familyId')) return { origin: o, event: { type: 'family', familyId: e.familyId as string } };
  if (e.type === 'client' && strings('clientId')) return { origin: o, event: { type: 'client', clientId: e.clientId as string } };
  return null;
}

/**
 * Share revocations between every process of a deployment: each event published by one process (an
 * API key revoked, a token family revoked) reaches the verification caches of all the others, usually
 * within a millisecond or two. Events carry ids and secret hashes, never secrets.
 *
 * Delivery is at most once: an event published while a subscriber is disconnected is lost for it, and
 * that process serves the cached record until the verifier cache TTL (default 30 s) runs out. That TTL is
 * the worst-case bound; pub/sub latency is the usual one.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { createAuthServer } from '@auth/core';
 * import { postgresAuthStore } from '@auth/sql-store';
 * import { redisInvalidationBus } from '@auth/redis-store';
 *
 * const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
 * const auth = createAuthServer({
 *   issuer, secrets, store: postgresAuthStore({ connectionString: process.env.DATABASE_URL! }),
 *   invalidation: redisInvalidationBus({ redis }),
 * });
 * ```
 */
export function redisInvalidationBus(options: RedisInvalidationBusOptions): RedisInvalidationBus {
  const redis = options?.redis;
  if (!redis || typeof redis.publish !== 'function' || typeof redis.duplicate !== 'function') {
    throw new ConfigError('redisInvalidationBus: `redis` must be an ioredis client');
  }
  const channel = options.channel ?? 'auth:invalidation';
  if (typeof channel !== 'string' || channel === '') throw new ConfigError('redisInvalidationBus: `channel` must be a string');
  let timeoutMs: number;
  try {
    timeoutMs = options.commandTimeout === undefined ? DEFAULT_COMMAND_TIMEOUT_MS : toMs(options.commandTimeout);
  } catch (cause) {
    throw new ConfigError('redisInvalidationBus: `commandTimeout` is not a valid duration', { cause });
  }
  const onError = options.onError ?? (() => {});
  // Each process hears its own messages too; this id lets it skip them (local listeners already ran).
  const origin = randomBytes(12).toString('base64url');
  const listeners = new Set<(event: InvalidationEvent) => void>();

  function deliver(event: InvalidationEvent): void {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch {
        // One faulty listener must not keep the event from the verifier caches.
      }
    }
  }

  const subscriber = redis.duplicate();
  subscriber.on('error', () => {});
  subscriber.on('message', (from: string, raw: string) => {
    if (from !== channel) return;
    const parsed = parseEvent(raw);
    if (parsed && parsed.origin !== origin) deliver(parsed.event);
  });
  const ready = redisCall('SUBSCRIBE (invalidation)', timeoutMs, StoreError, async () => {
    await subscriber.subscribe(channel);
  });
  ready.catch((err: StoreError) => onError(err));

  return {
    ready,
    publish(event) {
      deliver(event);
      const message = JSON.stringify({ o: origin, e: event });
      redisCall('PUBLISH (invalidation)', timeoutMs, StoreError, () => redis.publish(channel, message)).catch(
        (err: StoreError) => onError(err),
      );
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      subscriber.disconnect();
    },
  };
}
