import type { TokenSet, TokenStore } from '@auth/core';
import { afterEach, describe, expect, it } from 'vitest';

/** What the implementation under test offers beyond the required operations. */
export interface TokenStoreContractOptions {
  /** The store implements `acquireLock`. Default true. */
  lock?: boolean;
  /** The store implements `waitForUpdate`. Default true. */
  waitForUpdate?: boolean;
  /** Called after each test with the store, to close connections. */
  teardown?: (store: TokenStore) => Promise<void> | void;
}

function tokenSet(accessToken: string, extra: Partial<TokenSet> = {}): TokenSet {
  return { accessToken, tokenType: 'Bearer', expiresAt: 1_900_000_000_000, obtainedAt: 1_800_000_000_000, ...extra };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The client token store contract, written once and run against every implementation (memory now,
 * Redis later). Call it inside a test file:
 *
 * @example
 * ```ts
 * tokenStoreContract('memoryTokenStore', () => memoryTokenStore());
 * ```
 */
export function tokenStoreContract(
  name: string,
  factory: () => TokenStore | Promise<TokenStore>,
  options: TokenStoreContractOptions = {},
): void {
  const { lock = true, waitForUpdate = true } = options;
  const created: TokenStore[] = [];
  const make = async () => {
    const store = await factory();
    created.push(store);
    return store;
  };
  // Unique keys per test so shared backends need no flushing between tests.
  let n = 0;
  const key = () => `contract:${process.pid}:${Date.now()}:${n++}`;

  describe(`TokenStore contract: ${name}`, () => {
    afterEach(async () => {
      for (const store of created.splice(0)) await options.teardown?.(store);
    });

    it('returns null for an unknown key', async () => {
      const store = await make();
      expect(await store.get(key())).toBeNull();
    });

    it('writes when absent and reads back the same token set with its version', async () => {
      const store = await make();
      const k = key();
      const value = tokenSet('a1', { refreshToken: 'r1', scope: 'read write', expiresAt: null });
      const result = await store.compareAndSet(k, value, null);
      expect(result.ok).toBe(true);
      const read = await store.get(k);
      expect(read?.tokenSet).toEqual(value);
      expect(read?.version).toBe(result.ok ? result.version : undefined);
    });

    it('refuses a create when the key already exists', async () => {
      const store = await make();
      const k = key();
      await store.compareAndSet(k, tokenSet('a1'), null);
      expect((await store.compareAndSet(k, tokenSet('a2'), null)).ok).toBe(false);
      expect((await store.get(k))?.tokenSet.accessToken).toBe('a1');
    });

    it('replaces only when the expected version is current, and changes the version', async () => {
      const store = await make();
      const k = key();
      const first = await store.compareAndSet(k, tokenSet('a1'), null);
      if (!first.ok) throw new Error('create failed');
      const second = await store.compareAndSet(k, tokenSet('a2'), first.version);
      expect(second.ok).toBe(true);
      if (second.ok) expect(second.version).not.toBe(first.version);
      expect((await store.compareAndSet(k, tokenSet('late'), first.version)).ok).toBe(false);
      expect((await store.get(k))?.tokenSet.accessToken).toBe('a2');
    });

    it('lets exactly one of many concurrent writers from the same version win', async () => {
      const store = await make();
      const k = key();
      const base = await store.compareAndSet(k, tokenSet('a0'), null);
      if (!base.ok) throw new Error('create failed');
      const results = await Promise.all(
        Array.from({ length: 25 }, (_, i) => store.compareAndSet(k, tokenSet(`a${i + 1}`), base.version)),
      );
      const winners = results.flatMap((r, i) => (r.ok ? [i] : []));
      expect(winners).toHaveLength(1);
      expect((await store.get(k))?.tokenSet.accessToken).toBe(`a${winners[0]! + 1}`);
    });

    it('hands out copies: mutating a read value does not change the store', async () => {
      const store = await make();
      const k = key();
      const value = tokenSet('a1');
      await store.compareAndSet(k, value, null);
      value.accessToken = 'mutated-after-write';
      const read = await store.get(k);
      read!.tokenSet.accessToken = 'mutated-after-read';
      expect((await store.get(k))?.tokenSet.accessToken).toBe('a1');
    });

    it('deletes, honouring an expected version', async () => {
      const store = await make();
      const k = key();
      expect(await store.delete(k)).toBe(false);
      const created = await store.compareAndSet(k, tokenSet('a1'), null);
      if (!created.ok) throw new Error('create failed');
      expect(await store.delete(k, 'not-the-version')).toBe(false);
      expect(await store.get(k)).not.toBeNull();
      expect(await store.delete(k, created.version)).toBe(true);
      expect(await store.get(k)).toBeNull();
      expect((await store.compareAndSet(k, tokenSet('a2'), null)).ok).toBe(true);
      expect(await store.delete(k)).toBe(true);
    });

    it('keeps keys independent', async () => {
      const store = await make();
      const [k1, k2] = [key(), key()];
      await store.compareAndSet(k1, tokenSet('one'), null);
      await store.compareAndSet(k2, tokenSet('two'), null);
      await store.delete(k1);
      expect((await store.get(k2))?.tokenSet.accessToken).toBe('two');
    });

    if (lock) {
      it('locks exclusively until released', async () => {
        const store = await make();
        expect(typeof store.acquireLock).toBe('function');
        const k = key();
        const a = await store.acquireLock!(k, 5_000);
        expect(a).not.toBeNull();
        expect(await store.acquireLock!(k, 5_000)).toBeNull();
        expect(await store.acquireLock!(key(), 5_000)).not.toBeNull();
        await a!.release();
        const b = await store.acquireLock!(k, 5_000);
        expect(b).not.toBeNull();
        await b!.release();
      });

      it('frees a lock whose lease ran out, and the old owner can neither release nor extend it', async () => {
        const store = await make();
        const k = key();
        const old = await store.acquireLock!(k, 100);
        await sleep(180);
        const current = await store.acquireLock!(k, 5_000);
        expect(current).not.toBeNull();
        await old!.release();
        expect(await store.acquireLock!(k, 5_000)).toBeNull();
        expect(await old!.extend(5_000)).toBe(false);
        await current!.release();
      });

      it('keeps a lock past its first lease when the owner extends it', async () => {
        const store = await make();
        const k = key();
        const held = await store.acquireLock!(k, 300);
        await sleep(100);
        expect(await held!.extend(1_000)).toBe(true);
        await sleep(350);
        expect(await store.acquireLock!(k, 5_000)).toBeNull();
        await held!.release();
      });
    }

    if (waitForUpdate) {
      it('wakes a waiter when the entry changes', async () => {
        const store = await make();
        expect(typeof store.waitForUpdate).toBe('function');
        const k = key();
        const created = await store.compareAndSet(k, tokenSet('a1'), null);
        if (!created.ok) throw new Error('create failed');
        const started = Date.now();
        const waiting = store.waitForUpdate!(k, created.version, 5_000);
        setTimeout(() => void store.compareAndSet(k, tokenSet('a2'), created.version), 50);
        await waiting;
        expect(Date.now() - started).toBeLessThan(2_000);
        expect((await store.get(k))?.tokenSet.accessToken).toBe('a2');
      });

      it('returns after the timeout when nothing changes, and at once when already changed', async () => {
        const store = await make();
        const k = key();
        const created = await store.compareAndSet(k, tokenSet('a1'), null);
        if (!created.ok) throw new Error('create failed');
        let started = Date.now();
        await store.waitForUpdate!(k, created.version, 120);
        expect(Date.now() - started).toBeGreaterThanOrEqual(100);
        started = Date.now();
        await store.waitForUpdate!(k, 'some-older-version', 5_000);
        expect(Date.now() - started).toBeLessThan(1_000);
      });
    }
  });
}
