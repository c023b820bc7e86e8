import type { TokenSet } from './token-set.js';

/** A token set as stored, with the version a compare-and-set must name to replace it. */
export interface StoredTokenSet {
  tokenSet: TokenSet;
  /** Opaque; changes on every write. */
  version: string;
}

/** Outcome of {@link TokenStore.compareAndSet}. */
export type CompareAndSetResult = { ok: true; version: string } | { ok: false };

/** A lease on a lock, from {@link TokenStore.acquireLock}. Only its owner can extend or release it. */
export interface TokenStoreLock {
  /** Extend the lease to `leaseMs` from now. `false` if the lease was already lost. */
  extend(leaseMs: number): Promise<boolean>;
  /** Release the lock if this lease still owns it; otherwise do nothing. */
  release(): Promise<void>;
}

/**
 * Where a token manager keeps token sets. Keys are opaque, namespaced strings built by the manager.
 *
 * The two optional operations make a shared store (Redis) coordinate renewals across processes: when
 * `acquireLock` exists the manager renews under the lock and the losers wait (with `waitForUpdate`
 * when offered, polling otherwise) for the winner's write.
 *
 * Every implementation must pass `tokenStoreContract` from `@auth/testkit`.
 */
export interface TokenStore {
  get(key: string): Promise<StoredTokenSet | null>;
  /**
   * Write `tokenSet` if and only if the current version is `expectedVersion` (`null`: only if absent).
   * ATOMIC. Returns whether the write won and the new version.
   */
  compareAndSet(key: string, tokenSet: TokenSet, expectedVersion: string | null): Promise<CompareAndSetResult>;
  /** Delete the entry (only if its version is `expectedVersion`, when given). Returns whether it deleted. */
  delete(key: string, expectedVersion?: string): Promise<boolean>;
  /** Take an exclusive lock with a lease, or `null` at once if another owner holds it. */
  acquireLock?(key: string, leaseMs: number): Promise<TokenStoreLock | null>;
  /** Resolve when the entry's version differs from `sinceVersion`, or after `timeoutMs`, whichever first. */
  waitForUpdate?(key: string, sinceVersion: string | null, timeoutMs: number): Promise<void>;
}
