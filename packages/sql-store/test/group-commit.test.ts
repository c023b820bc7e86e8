import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeRecords } from '@auth/testkit';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createGroupCommit, ItemFailed } from '../src/group-commit.js';
import { sqlAuthStore, sqliteAuthStore } from '../src/index.js';

const T0 = 1_700_000_000_000;
const records = storeRecords(() => T0);

describe('createGroupCommit', () => {
  it('commits the writes of one event-loop turn as one batch, and later ones as the next', async () => {
    const batches: number[][] = [];
    const group = createGroupCommit<number>(
      async (items) => {
        batches.push([...items]);
        return items.map(() => undefined);
      },
      async (item) => void batches.push([item]),
    );
    await Promise.all([group.write(1), group.write(2), group.write(3)]);
    await group.write(4);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('settles an item writeAll reports as ItemFailed with its own error, and the others with their results, without a retry', async () => {
    const single: number[] = [];
    const group = createGroupCommit<number, string>(
      async (items) => items.map((item) => (item === 2 ? new ItemFailed(new Error(`item ${item} failed`)) : `ok ${item}`)),
      async (item) => {
        single.push(item);
        return `single ${item}`;
      },
    );
    const results = await Promise.allSettled([group.write(1), group.write(2), group.write(3)]);
    expect(results).toEqual([
      { status: 'fulfilled', value: 'ok 1' },
      { status: 'rejected', reason: new Error('item 2 failed') },
      { status: 'fulfilled', value: 'ok 3' },
    ]);
    expect(single).toEqual([]);
  });

  it('caps a batch at maxBatch and commits the batches one after another', async () => {
    const log: string[] = [];
    const group = createGroupCommit<number>(
      async (items) => {
        log.push(`start ${items.join(',')}`);
        await new Promise((r) => setTimeout(r, 5));
        log.push(`end ${items.join(',')}`);
        return items.map(() => undefined);
      },
      async (item) => void log.push(`one ${item}`),
      { maxBatch: 2 },
    );
    await Promise.all([1, 2, 3, 4, 5].map((n) => group.write(n)));
    expect(log).toEqual(['start 1,2', 'end 1,2', 'start 3,4', 'end 3,4', 'one 5']);
  });

  it('with parallel, lets batches commit at the same time, and drain() waits for all of them', async () => {
    let open = 0;
    let most = 0;
    const group = createGroupCommit<number>(
      async (items) => {
        open++;
        most = Math.max(most, open);
        await new Promise((r) => setTimeout(r, 5));
        open--;
        return items.map(() => undefined);
      },
      async () => {},
      { maxBatch: 2, parallel: true },
    );
    const writes = [1, 2, 3, 4].map((n) => group.write(n));
    await group.drain();
    expect(open).toBe(0);
    expect(most).toBe(2);
    await Promise.all(writes);
  });

  it('retries a failed batch item by item, so only the bad item fails', async () => {
    const written: number[] = [];
    const group = createGroupCommit<number>(
      async () => {
        throw new Error('constraint');
      },
      async (item) => {
        if (item === 2) throw new Error(`duplicate ${item}`);
        written.push(item);
      },
    );
    const results = await Promise.allSettled([group.write(1), group.write(2), group.write(3)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('duplicate 2');
    expect(written).toEqual([1, 3]);
  });

  it('hands each caller its own result', async () => {
    const group = createGroupCommit<number, string>(
      async (items) => items.map((n) => `batch ${n}`),
      async (n) => `one ${n}`,
    );
    await expect(Promise.all([group.write(1), group.write(2)])).resolves.toEqual(['batch 1', 'batch 2']);
    await expect(group.write(3)).resolves.toBe('one 3');
  });

  it('drain() flushes what is queued and waits for it', async () => {
    const written: number[] = [];
    const group = createGroupCommit<number>(
      async (items) => {
        written.push(...items);
        return items.map(() => undefined);
      },
      async (item) => void written.push(item),
    );
    const pending = group.write(7);
    await group.drain();
    expect(written).toEqual([7]);
    await pending;
  });
});

describe('SQLite store: token inserts of concurrent requests commit together', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('saves every row of a concurrent burst, and a duplicate fails only its own caller', async () => {
    dir = await mkdtemp(join(tmpdir(), 'auth-group-commit-'));
    const filename = join(dir, 'auth.db');
    const store = sqliteAuthStore({ filename });
    const existing = records.token();
    await store.saveTokens([existing]);
    const burst = Array.from({ length: 20 }, (_, i) =>
      i === 7 ? [{ ...records.token(), hash: existing.hash }] : [records.token({ type: 'access_token' }), records.token()],
    );
    const results = await Promise.allSettled(burst.map((batch) => store.saveTokens(batch)));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect(results[7]).toMatchObject({ status: 'rejected', reason: { name: 'StoreError' } });
    for (const [i, batch] of burst.entries()) {
      if (i === 7) continue;
      for (const record of batch) await expect(store.findToken(record.hash)).resolves.toEqual(record);
    }
    await store.close();
    const raw = new Database(filename, { readonly: true });
    expect((raw.prepare('select count(*) as n from auth_tokens').get() as { n: number }).n).toBe(1 + 19 * 2);
    raw.close();
  });

  it('rotates a burst of different refresh tokens together; a broken rotation fails alone and is undone', async () => {
    dir = await mkdtemp(join(tmpdir(), 'auth-group-commit-'));
    const store = sqliteAuthStore({ filename: join(dir, 'auth.db') });
    const taken = records.token({ type: 'access_token' });
    const parents = Array.from({ length: 12 }, () => records.token());
    await store.saveTokens([taken, ...parents]);
    const inputs = parents.map((parent, i) => ({
      hash: parent.hash,
      now: T0 + 1,
      graceMs: 300_000,
      // Rotation 5's successor reuses a stored hash: its insert fails, so its UPDATE must be rolled back too.
      successorRecords: [i === 5 ? { ...records.token(), hash: taken.hash } : records.token({ familyId: parent.familyId })],
      successor: `sealed-${i}`,
    }));
    const results = await Promise.allSettled(inputs.map((input) => store.rotateRefreshToken(input)));
    for (const [i, result] of results.entries()) {
      if (i === 5) {
        expect(result).toMatchObject({ status: 'rejected', reason: { name: 'StoreError' } });
        expect(await store.findToken(parents[5]!.hash)).toEqual(parents[5]);
        continue;
      }
      expect(result).toMatchObject({ status: 'fulfilled', value: { status: 'rotated' } });
      expect(await store.findToken(parents[i]!.hash)).toMatchObject({ rotatedAt: T0 + 1, successor: `sealed-${i}` });
      expect(await store.findToken(inputs[i]!.successorRecords[0]!.hash)).toEqual(inputs[i]!.successorRecords[0]);
    }
    // The failed rotation can be retried with a good successor.
    const retry = { ...inputs[5]!, successorRecords: [records.token({ familyId: parents[5]!.familyId })] };
    await expect(store.rotateRefreshToken(retry)).resolves.toMatchObject({ status: 'rotated' });
    await store.close();
  });

  it('rotates a burst of 12 in one synchronous transaction: 22 successor rows, and a token redeemed twice rotates once', async () => {
    dir = await mkdtemp(join(tmpdir(), 'auth-group-commit-'));
    const filename = join(dir, 'auth.db');
    const store = sqliteAuthStore({ filename });
    const parents = Array.from({ length: 11 }, () => records.token({ clientId: 'client_1' }));
    await store.saveTokens(parents);
    const successorsOf = (i: number) => [
      { hash: `access-${i}`, type: 'access_token' as const, createdAt: T0 + 1, expiresAt: T0 + 3_600_000 },
      { hash: `refresh-${i}`, type: 'refresh_token' as const, createdAt: T0 + 1, expiresAt: T0 + 172_800_000 },
    ];
    // Parent 0 twice in the same turn: the second UPDATE of the batch sees the first's and wins nothing.
    const redeemed = [...parents, parents[0]!];
    const results = await Promise.all(
      redeemed.map((parent, i) =>
        store.rotateRefreshTokenFor!({ hash: parent.hash, clientId: 'client_1', now: T0 + 1, graceMs: 300_000, successor: `d1.${i}`, successors: successorsOf(i) }),
      ),
    );
    expect(results.slice(0, 11).map((r) => r.status)).toEqual(parents.map(() => 'rotated'));
    expect(results[11]).toMatchObject({ status: 'replayed', successor: 'd1.0' });
    for (const [i, parent] of parents.entries()) {
      expect(await store.findToken(`refresh-${i}`)).toMatchObject({ familyId: parent.familyId, clientId: 'client_1', scopes: parent.scopes });
      expect(await store.findToken(`access-${i}`)).toMatchObject({ type: 'access_token', familyId: parent.familyId });
    }
    expect(await store.findToken('refresh-11')).toBeNull();
    await store.close();
    const raw = new Database(filename, { readonly: true });
    expect((raw.prepare('select count(*) as n from auth_tokens').get() as { n: number }).n).toBe(11 + 22);
    raw.close();
  });

  it('sends a burst as one INSERT, and a burst of rotations as their UPDATEs plus one INSERT in one transaction', async () => {
    const queries: string[] = [];
    const raw = new Database(':memory:');
    const db = new Kysely<unknown>({
      dialect: new SqliteDialect({ database: raw }),
      log: (event) => {
        if (event.level === 'query') queries.push(event.query.sql.split(' ', 1)[0]!.toLowerCase());
      },
    });
    const store = sqlAuthStore({ db, dialect: 'sqlite' });
    try {
      await store.migrate();
      const parents = Array.from({ length: 6 }, () => records.token());
      queries.length = 0;
      await Promise.all(parents.map((parent) => store.saveTokens([parent])));
      expect(queries).toEqual(['insert']);

      queries.length = 0;
      const successors = parents.map((parent) => [records.token({ type: 'access_token', familyId: parent.familyId }), records.token({ familyId: parent.familyId })]);
      const results = await Promise.all(
        parents.map((parent, i) =>
          store.rotateRefreshToken({ hash: parent.hash, now: T0 + 1, graceMs: 300_000, successor: `sealed-${i}`, successorRecords: successors[i]! }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(parents.map(() => 'rotated'));
      expect(queries).toEqual(['begin', ...parents.map(() => 'update'), 'insert', 'commit']);
      for (const record of successors.flat()) expect(await store.findToken(record.hash)).toEqual(record);
    } finally {
      await store.close();
      await db.destroy();
    }
  });

  it('commits writes still queued when the store closes', async () => {
    dir = await mkdtemp(join(tmpdir(), 'auth-group-commit-'));
    const filename = join(dir, 'auth.db');
    const store = sqliteAuthStore({ filename });
    await store.migrate();
    const token = records.token();
    const saved = store.saveTokens([token]);
    await store.close();
    await saved;
    const raw = new Database(filename, { readonly: true });
    expect(raw.prepare('select hash from auth_tokens').all()).toEqual([{ hash: token.hash }]);
    raw.close();
  });
});
