/**
 * Every Redis call this package makes goes through {@link redisCall}: a bounded wait and a typed,
 * secret-free error, whatever retry and offline-queue settings the caller's ioredis client has.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import type { AuthError } from '@auth/core';
import type { Redis } from 'ioredis';

/** An {@link AuthError} subclass constructor (`StoreError`, `LockError`). */
export type AuthErrorClass = new (message: string, options?: { cause?: unknown }) => AuthError;

/**
 * Default bound on one Redis round trip. Redis answers in well under a millisecond when healthy; the
 * margin is for a busy client process, whose own event loop delays reading replies.
 */
export const DEFAULT_COMMAND_TIMEOUT_MS = 5000;

/**
 * A copy of a client error that keeps its name and message only: ioredis errors carry the command and
 * its arguments, which here include token sets, so the original never travels as a `cause`.
 */
function redacted(err: unknown): Error {
  const message = err instanceof Error ? err.message : String(err);
  const copy = new Error(message.slice(0, 200));
  copy.name = err instanceof Error ? err.name : 'Error';
  return copy;
}

/**
 * Run one Redis operation, failing with `ErrorClass` after `timeoutMs` or on any client error.
 * A command that times out may still reach Redis later; every write here is a compare-and-set or an
 * owner-checked script, so a late arrival cannot overwrite newer state.
 */
export function redisCall<T>(
  what: string,
  timeoutMs: number,
  ErrorClass: AuthErrorClass,
  run: () => Promise<T>,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new ErrorClass(`Redis did not answer ${what} within ${timeoutMs} ms`));
    }, timeoutMs);
    let started: Promise<T>;
    try {
      started = run();
    } catch (err) {
      started = Promise.reject(err);
    }
    started.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        const cause = redacted(err);
        reject(new ErrorClass(`Redis ${what} failed: ${cause.message}`, { cause }));
      },
    );
  });
}

/** A Lua script run by SHA (EVALSHA), loaded on first use or after a server restart (NOSCRIPT). */
export interface LuaScript {
  run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown>;
}

/** Define a Lua script without touching the caller's client (no `defineCommand`). */
export function luaScript(source: string): LuaScript {
  const sha = createHash('sha1').update(source).digest('hex');
  return {
    async run(redis, keys, args) {
      try {
        return await redis.evalsha(sha, keys.length, ...keys, ...args);
      } catch (err) {
        if (!(err instanceof Error) || !err.message.includes('NOSCRIPT')) throw err;
        return redis.eval(source, keys.length, ...keys, ...args);
      }
    },
  };
}
