/**
 * The verifier's warm cache of credential records: bounded LRU with a TTL, keyed by the secret's hash.
 *
 * A hit costs two `Map` operations and no store call. Staleness is bounded by the TTL for changes made
 * by other processes; changes made through this process's managers arrive on the invalidation bus and
 * evict the entry at once.
 *
 * @module
 */
import type { CredentialRecord } from '../store.js';

/** A bounded LRU + TTL cache of credential records. */
export interface CredentialCache {
  /** The record cached under `hash`, if present and younger than the TTL at `now`. */
  get(hash: string, now: number): CredentialRecord | undefined;
  set(hash: string, record: CredentialRecord, now: number): void;
  delete(hash: string): void;
  clear(): void;
  readonly size: number;
}

interface Entry {
  record: CredentialRecord;
  until: number;
}

/** Create a cache holding at most `maxEntries` records for at most `ttlMs` each. */
export function createCredentialCache(maxEntries: number, ttlMs: number): CredentialCache {
  const entries = new Map<string, Entry>();
  return {
    get(hash, now) {
      const entry = entries.get(hash);
      if (!entry) return undefined;
      entries.delete(hash);
      if (entry.until <= now) return undefined;
      // Re-insert so Map order tracks recency: the first key is always the least recently used.
      entries.set(hash, entry);
      return entry.record;
    },
    set(hash, record, now) {
      if (maxEntries <= 0 || ttlMs <= 0) return;
      entries.delete(hash);
      if (entries.size >= maxEntries) {
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
      entries.set(hash, { record, until: now + ttlMs });
    },
    delete(hash) {
      entries.delete(hash);
    },
    clear() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
