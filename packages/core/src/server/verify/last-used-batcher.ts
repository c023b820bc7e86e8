/**
 * Last-used times, written in batches off the hot path: `verify` only records into a map; an unref'd
 * timer (or a full batch) writes the map with one `store.touchCredentials` call.
 *
 * @module
 */
import type { Logger } from '../context.js';
import type { AuthStore } from '../store.js';

/** Collects last-used times and writes them in batches. */
export interface LastUsedBatcher {
  /** Note that credential `id` was used at `at` (epoch ms). Synchronous and allocation-light. */
  record(id: string, at: number): void;
  /** Write everything pending now. Never throws: a failed write is logged and dropped. */
  flush(): Promise<void>;
  /** Stop the timer and flush. */
  close(): Promise<void>;
  /** How many credentials wait to be written. */
  readonly pending: number;
}

/** Options of {@link createLastUsedBatcher}. */
export interface LastUsedBatcherOptions {
  store: AuthStore;
  logger: Logger;
  /** Longest a last-used time waits before it is written. */
  intervalMs: number;
  /** Write at once when this many credentials are pending. */
  maxPending: number;
}

/** Create a batcher. Its timer never keeps the process alive. */
export function createLastUsedBatcher(options: LastUsedBatcherOptions): LastUsedBatcher {
  const { store, logger, intervalMs, maxPending } = options;
  let pending = new Map<string, number>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const inFlight = new Set<Promise<void>>();

  const flush = (): Promise<void> => {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (pending.size === 0) return Promise.all(inFlight).then(() => undefined);
    const batch = pending;
    pending = new Map();
    const write = (async () => {
      try {
        await store.touchCredentials(batch);
      } catch (err) {
        // Last-used is advisory: losing one batch must not fail requests or crash the process.
        logger.warn('auth: writing last-used times failed', {
          count: batch.size,
          error: err instanceof Error ? err.name : typeof err,
        });
      }
    })();
    inFlight.add(write);
    void write.finally(() => inFlight.delete(write));
    return Promise.all(inFlight).then(() => undefined);
  };

  return {
    record(id, at) {
      const prev = pending.get(id);
      if (prev === undefined || prev < at) pending.set(id, at);
      if (pending.size >= maxPending) {
        void flush();
      } else if (!timer) {
        timer = setTimeout(() => void flush(), intervalMs);
        timer.unref?.();
      }
    },
    flush,
    close: flush,
    get pending() {
      return pending.size;
    },
  };
}
