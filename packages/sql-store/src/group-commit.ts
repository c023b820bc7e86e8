/**
 * Group commit: writes requested in the same event-loop turn share one transaction.
 *
 * On SQLite a commit writes every page the transaction dirtied to the WAL, and a token insert dirties a
 * page of each index it touches (the hash index on a random page). Concurrent token requests that commit
 * together write the pages they share once, and pay one commit instead of one each. Every caller's
 * promise settles only after its rows are committed, so nothing is acknowledged that a crash could lose.
 *
 * @module
 */

/** Queues writes and commits them in batches. */
export interface GroupCommit<T, R = void> {
  /** Resolves with the item's own result once it is committed; rejects with the error of its own write. */
  write(item: T): Promise<R>;
  /** Resolves once every queued write has settled. */
  drain(): Promise<void>;
}

/**
 * What `writeAll` answers for an item that failed on its own while the rest of the batch went through
 * (items written independently, not in one transaction): that caller gets `error`, the others their result.
 */
export class ItemFailed {
  readonly error: unknown;
  constructor(error: unknown) {
    this.error = error;
  }
}

interface Queued<T, R> {
  item: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/** Options of {@link createGroupCommit}. */
export interface GroupCommitOptions {
  /** Most items per batch. Default 64. */
  maxBatch?: number;
  /**
   * Let batches commit at the same time (a connection pool) instead of one after another (a single
   * writer such as SQLite, where a batch waiting its turn collects more items). Default false.
   */
  parallel?: boolean;
}

/**
 * Create a group commit over `writeAll` (one transaction for a batch, results in item order) and
 * `writeOne` (a single item, its own transaction). A batch that fails is rolled back by `writeAll` and
 * retried item by item, so one bad row (a duplicate key) fails only its own caller. The first write of a
 * turn schedules the flush with `setImmediate`, after the I/O callbacks that may queue more.
 */
export function createGroupCommit<T, R = void>(
  writeAll: (items: readonly T[]) => Promise<readonly (R | ItemFailed)[]>,
  writeOne: (item: T) => Promise<R>,
  { maxBatch = 64, parallel = false }: GroupCommitOptions = {},
): GroupCommit<T, R> {
  let queue: Queued<T, R>[] = [];
  let scheduled = false;
  /** The flush in progress, so batches commit one after another and `drain` can wait. */
  let flushing: Promise<void> = Promise.resolve();
  /** Batches committing at the same time (`parallel`), for `drain`. */
  const inFlight = new Set<Promise<void>>();

  async function commit(batch: Queued<T, R>[]): Promise<void> {
    if (batch.length > 1) {
      try {
        const results = await writeAll(batch.map((q) => q.item));
        for (const [i, q] of batch.entries()) {
          const result = results[i]!;
          if (result instanceof ItemFailed) q.reject(result.error);
          else q.resolve(result);
        }
        return;
      } catch {
        // Fall through: each item alone, so the caller whose row failed gets its own error.
      }
    }
    for (const q of batch) {
      try {
        q.resolve(await writeOne(q.item));
      } catch (error) {
        q.reject(error);
      }
    }
  }

  function flush(): void {
    scheduled = false;
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      if (parallel) {
        const done: Promise<void> = commit(batch).finally(() => inFlight.delete(done));
        inFlight.add(done);
      } else {
        flushing = flushing.then(() => commit(batch));
      }
    }
  }

  return {
    write(item) {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    async drain() {
      if (scheduled) flush();
      await Promise.all([flushing, ...inFlight]);
    },
  };
}
