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
export interface GroupCommit<T> {
  /** Resolves once `item` is committed; rejects with the error of its own write. */
  write(item: T): Promise<void>;
  /** Resolves once every queued write has settled. */
  drain(): Promise<void>;
}

interface Queued<T> {
  item: T;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Create a group commit over `writeAll` (one transaction for a batch) and `writeOne` (a single item, its
 * own transaction). A batch that fails is retried item by item, so one bad row (a duplicate key) fails
 * only its own caller. Batches hold at most `maxBatch` items; the first write of a turn schedules the
 * flush with `setImmediate`, after the I/O callbacks that may queue more.
 */
export function createGroupCommit<T>(
  writeAll: (items: readonly T[]) => Promise<void>,
  writeOne: (item: T) => Promise<void>,
  maxBatch = 64,
): GroupCommit<T> {
  let queue: Queued<T>[] = [];
  let scheduled = false;
  /** The flush in progress, so batches commit one after another and `drain` can wait. */
  let flushing: Promise<void> = Promise.resolve();

  async function commit(batch: Queued<T>[]): Promise<void> {
    if (batch.length > 1) {
      try {
        await writeAll(batch.map((q) => q.item));
        for (const q of batch) q.resolve();
        return;
      } catch {
        // Fall through: each item alone, so the caller whose row failed gets its own error.
      }
    }
    for (const q of batch) {
      try {
        await writeOne(q.item);
        q.resolve();
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
      flushing = flushing.then(() => commit(batch));
    }
  }

  return {
    write(item) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    drain() {
      if (scheduled) flush();
      return flushing;
    },
  };
}
