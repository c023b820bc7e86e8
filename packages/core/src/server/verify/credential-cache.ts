/**
 * The verifier's warm caches: bounded LRU with a TTL, keyed by the secret's hash. One holds credential
 * records (API keys, personal tokens, secrets), one the principals of OAuth access tokens.
 *
 * A hit costs two `Map` operations and no store call. Staleness is bounded by the TTL for changes made
 * by other processes; changes made through this process's managers arrive on the invalidation bus and
 * evict the entry at once.
 *
 * @module
 */
import type { CredentialRecord } from '../store.js';

/** A bounded LRU + TTL cache, by default of credential records. */
export interface CredentialCache<V = CredentialRecord> {
  /** The value cached under `hash`, if present and younger than the TTL at `now`. */
  get(hash: string, now: number): V | undefined;
  set(hash: string, value: V, now: number): void;
  delete(hash: string): void;
  clear(): void;
  readonly size: number;
}

interface Entry<V> {
  value: V;
  until: number;
}

/**
 * Create a cache holding at most `maxEntries` values for at most `ttlMs` each. `onRemove` is called for
 * every entry that leaves (evicted, expired, deleted or cleared), so a caller can keep a secondary index.
 */
export function createCredentialCache<V = CredentialRecord>(
  maxEntries: number,
  ttlMs: number,
  onRemove?: (hash: string, value: V) => void,
): CredentialCache<V> {
  const entries = new Map<string, Entry<V>>();
  return {
    get(hash, now) {
      const entry = entries.get(hash);
      if (!entry) return undefined;
      entries.delete(hash);
      if (entry.until <= now) {
        onRemove?.(hash, entry.value);
        return undefined;
      }
      // Re-insert so Map order tracks recency: the first key is always the least recently used.
      entries.set(hash, entry);
      return entry.value;
    },
    set(hash, value, now) {
      if (maxEntries <= 0 || ttlMs <= 0) return;
      const previous = entries.get(hash);
      if (previous) {
        entries.delete(hash);
        onRemove?.(hash, previous.value);
      } else if (entries.size >= maxEntries) {
        const oldest = entries.entries().next();
        if (!oldest.done) {
          entries.delete(oldest.value[0]);
          onRemove?.(oldest.value[0], oldest.value[1].value);
        }
      }
      entries.set(hash, { value, until: now + ttlMs });
    },
    delete(hash) {
      const entry = entries.get(hash);
      if (!entry) return;
      entries.delete(hash);
      onRemove?.(hash, entry.value);
    },
    clear() {
      const all = [...entries];
      entries.clear();
      if (onRemove) for (const [hash, entry] of all) onRemove(hash, entry.value);
    },
    get size() {
      return entries.size;
    },
  };
}
