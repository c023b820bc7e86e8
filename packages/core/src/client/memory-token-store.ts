import type { TokenSet } from './token-set.js';
import type { CompareAndSetResult, StoredTokenSet, TokenStore, TokenStoreLock } from './token-store.js';

/** Options for {@link memoryTokenStore}. */
export interface MemoryTokenStoreOptions {
  /** Clock for lock leases, epoch ms. Default `Date.now`. */
  now?: () => number;
}

/**
 * The default {@link TokenStore}: a map in this process, with locks and update notifications, so
 * several token managers in one process (or tests standing in for several processes) coordinate
 * exactly as they would over Redis. Values are copied in and out, as a remote store would.
 *
 * @example
 * ```ts
 * const store = memoryTokenStore();
 * const tokens = createTokenManager(grant, { store });
 * ```
 */
export function memoryTokenStore(options: MemoryTokenStoreOptions = {}): TokenStore {
  const now = options.now ?? Date.now;
  const entries = new Map<string, StoredTokenSet & { flat: boolean }>();
  const locks = new Map<string, { owner: object; expiresAt: number }>();
  const waiters = new Map<string, Set<() => void>>();
  let counter = 0;

  function notify(key: string): void {
    const set = waiters.get(key);
    if (!set) return;
    waiters.delete(key);
    for (const wake of set) wake();
  }

  function heldBy(key: string, owner: object): boolean {
    const lock = locks.get(key);
    return lock !== undefined && lock.owner === owner && lock.expiresAt > now();
  }

  return {
    async get(key) {
      const entry = entries.get(key);
      if (!entry) return null;
      // A token set of plain strings and numbers (every one the grants produce) is fully copied by a
      // spread, at a fraction of structuredClone's cost on this hot path.
      return { tokenSet: entry.flat ? { ...entry.tokenSet } : structuredClone(entry.tokenSet), version: entry.version };
    },
    async compareAndSet(key, tokenSet: TokenSet, expectedVersion): Promise<CompareAndSetResult> {
      const current = entries.get(key);
      if ((current?.version ?? null) !== expectedVersion) return { ok: false };
      const version = String(++counter);
      const copy = structuredClone(tokenSet);
      entries.set(key, { tokenSet: copy, version, flat: isFlat(copy) });
      notify(key);
      return { ok: true, version };
    },
    async delete(key, expectedVersion) {
      const current = entries.get(key);
      if (!current || (expectedVersion !== undefined && current.version !== expectedVersion)) return false;
      entries.delete(key);
      notify(key);
      return true;
    },
    async acquireLock(key, leaseMs): Promise<TokenStoreLock | null> {
      const existing = locks.get(key);
      if (existing && existing.expiresAt > now()) return null;
      const owner = {};
      locks.set(key, { owner, expiresAt: now() + leaseMs });
      return {
        async extend(ms) {
          if (!heldBy(key, owner)) return false;
          locks.set(key, { owner, expiresAt: now() + ms });
          return true;
        },
        async release() {
          if (locks.get(key)?.owner === owner) locks.delete(key);
        },
      };
    },
    waitForUpdate(key, sinceVersion, timeoutMs) {
      if ((entries.get(key)?.version ?? null) !== sinceVersion) return Promise.resolve();
      return new Promise<void>((resolve) => {
        let set = waiters.get(key);
        if (!set) waiters.set(key, (set = new Set()));
        const wake = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.get(key)?.delete(wake);
          resolve();
        }, timeoutMs);
        set.add(wake);
      });
    },
  };
}

/** Whether every own value is a primitive, so a shallow copy is a deep copy. */
function isFlat(value: object): boolean {
  for (const v of Object.values(value)) if (typeof v === 'object' && v !== null) return false;
  return true;
}
