import { ConfigError } from '../errors.js';
import { randomBelow } from '../crypto/random.js';
import { toMs, type Duration } from '../util/duration.js';

/** Retry policy for token, revocation and discovery requests. */
export interface RetryOptions {
  /** Total attempts including the first. Default 3; 1 disables retries. */
  attempts?: number;
  /** Backoff base: the cap before jitter is `baseDelay * 2^(attempt-1)`. Default 250 ms. */
  baseDelay?: Duration;
  /** Upper bound of a backoff delay. Default 5 s. */
  maxDelay?: Duration;
  /** Upper bound of a wait requested by `Retry-After`. Default 30 s. */
  maxRetryAfter?: Duration;
}

/**
 * Transport options shared by every request to an authorization server (token, revocation,
 * discovery). All escape hatches are named options: tests inject them instead of patching globals.
 */
export interface HttpOptions {
  /** The fetch implementation. Default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Timeout of one attempt, including reading the body. Default 10 s. */
  timeout?: Duration;
  /** Retry policy, or `false` for a single attempt. */
  retry?: RetryOptions | false;
  /** Largest response body read, in bytes. Default 256 KiB. */
  maxResponseBytes?: number;
  /** How to wait between attempts. Default `setTimeout`. */
  sleep?: (ms: number) => Promise<void>;
  /** Uniform random number in [0, 1) for full jitter. Default from the CSPRNG. */
  random?: () => number;
  /** Clock for token expiry, epoch ms. Default `Date.now`. */
  now?: () => number;
}

/** {@link HttpOptions} with every default applied. */
export interface ResolvedHttpOptions {
  fetch: typeof globalThis.fetch;
  timeoutMs: number;
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
  maxResponseBytes: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  now: () => number;
}

const JITTER_RESOLUTION = 1_000_000;

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function duration(value: Duration | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  try {
    return toMs(value);
  } catch (cause) {
    throw new ConfigError(`${what} is not a valid duration`, { cause });
  }
}

/** Apply defaults and validate. Throws {@link ConfigError} on bad options. */
export function resolveHttpOptions(options: HttpOptions = {}): ResolvedHttpOptions {
  const retry = options.retry === false ? { attempts: 1 } : (options.retry ?? {});
  const attempts = retry.attempts ?? 3;
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > 20) {
    throw new ConfigError('retry.attempts must be an integer between 1 and 20');
  }
  const maxResponseBytes = options.maxResponseBytes ?? 256 * 1024;
  if (!Number.isInteger(maxResponseBytes) || maxResponseBytes < 1024) {
    throw new ConfigError('maxResponseBytes must be an integer of at least 1024');
  }
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== 'function') throw new ConfigError('No fetch implementation available');
  return {
    fetch: fetchImpl,
    timeoutMs: duration(options.timeout, 10_000, 'timeout'),
    attempts,
    baseDelayMs: duration(retry.baseDelay, 250, 'retry.baseDelay'),
    maxDelayMs: duration(retry.maxDelay, 5_000, 'retry.maxDelay'),
    maxRetryAfterMs: duration(retry.maxRetryAfter, 30_000, 'retry.maxRetryAfter'),
    maxResponseBytes,
    sleep: options.sleep ?? defaultSleep,
    random: options.random ?? (() => randomBelow(JITTER_RESOLUTION) / JITTER_RESOLUTION),
    now: options.now ?? Date.now,
  };
}
