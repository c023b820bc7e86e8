import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeRecords } from '@auth/testkit';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteAuthStore } from '../src/index.js';
import { FixedQuery } from '../src/fixed-query.js';
import { StatementNames } from '../src/named-statements.js';
import { StatementCachingDatabase } from '../src/statement-cache.js';

const T0 = 1_700_000_000_000;
const records = storeRecords(() => T0);

describe('StatementCachingDatabase', () => {
  const opened: Database.Database[] = [];
  afterEach(() => {
    for (const db of opened.splice(0)) if (db.open) db.close();
  });
  function memory(): Database.Database {
    const db = new Database(':memory:');
    opened.push(db);
    db.exec('create table t (n integer)');
    db.exec('insert into t values (1), (2), (3)');
    return db;
  }

  it('hands out one statement per SQL text and keeps at most maxSize, dropping the least recently used', () => {
    const cache = new StatementCachingDatabase(memory(), 2);
    const a = cache.prepare('select 1');
    expect(cache.prepare('select 1')).toBe(a);
    const b = cache.prepare('select 2');
    expect(cache.prepare('select 1')).toBe(a); // now the most recent
    cache.prepare('select 3'); // evicts `select 2`
    expect(cache.size).toBe(2);
    expect(cache.prepare('select 1')).toBe(a);
    expect(cache.prepare('select 2')).not.toBe(b);
  });

  it('never hands out a statement that is still being iterated', () => {
    const cache = new StatementCachingDatabase(memory());
    const sql = 'select n from t order by n';
    const iterating = cache.prepare(sql);
    const rows = iterating.iterate([]);
    expect(rows.next().value).toEqual({ n: 1 });
    const other = cache.prepare(sql);
    expect(other).not.toBe(iterating);
    expect(other.all([])).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect([...rows]).toEqual([{ n: 2 }, { n: 3 }]);
    expect(cache.prepare(sql)).toBe(iterating);
  });

  it('forgets its statements on clear() and on close()', () => {
    const raw = memory();
    const cache = new StatementCachingDatabase(raw);
    const a = cache.prepare('select 1');
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.prepare('select 1')).not.toBe(a);
    cache.close();
    expect(cache.size).toBe(0);
    expect(raw.open).toBe(false);
  });
});

describe('StatementNames', () => {
  it('names a text the same way every time, distinct texts differently, and stops naming at the limit', () => {
    const names = new StatementNames(2);
    const a = names.nameFor('select $1');
    expect(a).toMatch(/^auth_store_[0-9a-f]{32}$/);
    expect(names.nameFor('select $1')).toBe(a);
    expect(new StatementNames().nameFor('select $1')).toBe(a);
    const b = names.nameFor('select $1, $2');
    expect(b).not.toBe(a);
    expect(names.nameFor('select $1, $2, $3')).toBeUndefined();
    expect(names.nameFor('select $1')).toBe(a);
    expect(names.size).toBe(2);
  });
});

describe('FixedQuery', () => {
  interface Db {
    t: { a: string; b: number; kind: string };
  }
  it('binds each call by placeholder, whatever the order in the SQL, and keeps constants as compiled', async () => {
    const db = new Kysely<Db>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
    try {
      await db.schema.createTable('t').addColumn('a', 'text').addColumn('b', 'integer').addColumn('kind', 'text').execute();
      await db
        .insertInto('t')
        .values([
          { a: 'x', b: 1, kind: 'k' },
          { a: 'x', b: 2, kind: 'other' },
          { a: 'y', b: 2, kind: 'k' },
        ])
        .execute();
      // `b` comes first in the SQL, `a` second: the arguments object has them the other way round.
      const find = new FixedQuery<{ a: string; b: number }, Db['t']>((param) =>
        db
          .selectFrom('t')
          .selectAll()
          .where('b', '=', param((args) => args.b))
          .where('kind', '=', 'k')
          .where('a', '=', param((args) => args.a)),
      );
      expect((await find.execute(db, { a: 'x', b: 1 })).rows).toEqual([{ a: 'x', b: 1, kind: 'k' }]);
      expect((await find.execute(db, { a: 'y', b: 2 })).rows).toEqual([{ a: 'y', b: 2, kind: 'k' }]);
      expect((await find.execute(db, { a: 'x', b: 2 })).rows).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});

describe('sqliteAuthStore statement reuse', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
  });
  async function dbFile(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'auth-sql-store-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    return join(dir, 'auth.db');
  }

  it('keeps working when another process changes the schema after its statements were prepared', async () => {
    const filename = await dbFile();
    const store = sqliteAuthStore({ filename });
    cleanups.push(() => store.close());
    const token = records.token();
    const client = records.client();
    await store.saveTokens([token]);
    await store.createClient(client);
    expect(await store.findToken(token.hash)).toEqual(token);
    expect(await store.getClient(client.clientId)).toEqual(client);

    // A newer version's migration, run by another process: SQLite recompiles the cached statements.
    const other = new Database(filename);
    try {
      other.exec('alter table auth_tokens add column note text');
      other.exec('create index auth_tokens_note_idx on auth_tokens (note)');
      other.exec('alter table auth_clients add column logo text');
    } finally {
      other.close();
    }
    const next = records.token();
    await store.saveTokens([next]);
    expect(await store.findToken(token.hash)).toEqual(token);
    expect(await store.findToken(next.hash)).toEqual(next);
    expect(await store.getClient(client.clientId)).toEqual(client);
    const rotated = await store.rotateRefreshToken({
      hash: next.hash,
      now: T0 + 1,
      graceMs: 1000,
      successor: 'sealed',
      successorRecords: [records.token()],
    });
    expect(rotated.status).toBe('rotated');
  });

  it('fails with a StoreError after close() even for statements it had cached', async () => {
    const store = sqliteAuthStore({ filename: ':memory:' });
    const token = records.token();
    await store.saveTokens([token]);
    expect(await store.findToken(token.hash)).toEqual(token);
    await store.close();
    await expect(store.findToken(token.hash)).rejects.toMatchObject({ name: 'StoreError', code: 'ERR_STORE' });
    await expect(store.saveTokens([records.token()])).rejects.toMatchObject({ name: 'StoreError' });
  });

  it('keeps the table prefix of each store in its compiled queries', async () => {
    const filename = await dbFile();
    const a = sqliteAuthStore({ filename, tablePrefix: 'a_' });
    cleanups.push(() => a.close());
    await a.migrate();
    const b = sqliteAuthStore({ filename, tablePrefix: 'b_' });
    cleanups.push(() => b.close());
    const token = records.token();
    const client = records.client();
    await a.saveTokens([token]);
    await a.createClient(client);
    expect(await a.findToken(token.hash)).toEqual(token);
    expect(await b.findToken(token.hash)).toBeNull();
    expect(await b.getClient(client.clientId)).toBeNull();
    await b.saveTokens([token]);
    expect(await b.findToken(token.hash)).toEqual(token);
  });
});
