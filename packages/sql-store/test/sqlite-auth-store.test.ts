import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthorizationCodeRecord, ClientRecord, CredentialRecord, TokenRecord } from '@auth/core';
import { describeAuthStoreContract, storeRecords } from '@auth/testkit';
import Database from 'better-sqlite3';
import { CamelCasePlugin, Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type SqlAuthStore, sqlAuthStore, sqliteAuthStore } from '../src/index.js';
import { configureConnection } from '../src/sqlite-auth-store.js';

async function tempDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'auth-sql-store-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

describeAuthStoreContract('sqliteAuthStore (file)', async () => {
  const { dir, remove } = await tempDir();
  const store = sqliteAuthStore({ filename: join(dir, 'auth.db') });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await remove();
    },
  };
});

describeAuthStoreContract('sqliteAuthStore (:memory:)', async () => {
  const store = sqliteAuthStore({ filename: ':memory:' });
  return { store, cleanup: () => store.close() };
});

const T0 = 1_700_000_000_000;

describe('sqliteAuthStore specifics', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
  });
  async function dbFile(): Promise<string> {
    const { dir, remove } = await tempDir();
    cleanups.push(remove);
    return join(dir, 'auth.db');
  }
  function track(store: SqlAuthStore): SqlAuthStore {
    cleanups.push(() => store.close());
    return store;
  }

  it('keeps everything across a restart: tokens issued before it are still found and still rotate', async () => {
    const filename = await dbFile();
    const credential: CredentialRecord = {
      id: 'key_1',
      kind: 'api_key',
      hash: 'hash_key_1',
      hint: 'wxyz',
      userId: 'u1',
      businessId: 'b1',
      clientId: null,
      name: 'Before restart',
      scopes: ['orders:read'],
      createdAt: T0,
      expiresAt: null,
      revokedAt: null,
      lastUsedAt: T0 + 1,
    };
    const client: ClientRecord = {
      clientId: 'client_1',
      name: 'App',
      type: 'public',
      redirectUris: ['https://app.example/cb'],
      grantTypes: ['authorization_code', 'refresh_token'],
      scopes: ['profile'],
      tokenEndpointAuthMethod: 'none',
      environment: null,
      ownerUserId: 'u1',
      businessId: 'b1',
      createdAt: T0,
      revokedAt: null,
    };
    const code: AuthorizationCodeRecord = {
      hash: 'code_1',
      clientId: 'client_1',
      userId: 'u1',
      businessId: 'b1',
      redirectUri: 'https://app.example/cb',
      scopes: ['profile'],
      codeChallenge: null,
      codeChallengeMethod: null,
      familyId: 'fam_1',
      createdAt: T0,
      expiresAt: T0 + 60_000,
      consumedAt: null,
    };
    const refresh: TokenRecord = {
      hash: 'refresh_1',
      type: 'refresh_token',
      familyId: 'fam_1',
      clientId: 'client_1',
      userId: 'u1',
      businessId: 'b1',
      scopes: ['profile'],
      createdAt: T0,
      expiresAt: T0 + 172_800_000,
      revokedAt: null,
      rotatedAt: null,
      successor: null,
    };
    const access: TokenRecord = { ...refresh, hash: 'access_1', type: 'access_token', expiresAt: T0 + 3_600_000 };

    const before = sqliteAuthStore({ filename });
    await before.createCredential(credential);
    await before.createClient(client);
    await before.saveAuthorizationCode(code);
    await before.saveTokens([access, refresh]);
    await before.close();

    const after = track(sqliteAuthStore({ filename }));
    expect(await after.findCredentialByHash('hash_key_1')).toEqual(credential);
    expect(await after.getClient('client_1')).toEqual(client);
    expect(await after.findToken('access_1')).toEqual(access);
    expect(await after.consumeAuthorizationCode('code_1', T0 + 5)).toEqual({
      status: 'consumed',
      code: { ...code, consumedAt: T0 + 5 },
    });
    const rotated = await after.rotateRefreshToken({
      hash: 'refresh_1',
      now: T0 + 10,
      graceMs: 300_000,
      successor: 'sealed',
      successorRecords: [{ ...refresh, hash: 'refresh_2' }],
    });
    expect(rotated.status).toBe('rotated');
  });

  it('opens the file in WAL mode', async () => {
    const filename = await dbFile();
    await track(sqliteAuthStore({ filename })).migrate();
    const raw = new Database(filename, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }
  });

  it('configures each connection: WAL, NORMAL sync, foreign keys, busy timeout, checkpoints, temp files in memory', async () => {
    const raw = new Database(await dbFile());
    try {
      // SQLite's defaults first, so the assertions below can only pass through configureConnection.
      expect(raw.pragma('temp_store', { simple: true })).toBe(0);
      configureConnection(raw, { busyTimeoutMs: 1234, walAutocheckpointPages: 567 });
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(raw.pragma('synchronous', { simple: true })).toBe(1);
      expect(raw.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(raw.pragma('busy_timeout', { simple: true })).toBe(1234);
      expect(raw.pragma('wal_autocheckpoint', { simple: true })).toBe(567);
      // 2 = MEMORY: statement journals of a rotation batch stay off the disk.
      expect(raw.pragma('temp_store', { simple: true })).toBe(2);
    } finally {
      raw.close();
    }
  });

  it('treats migrations run twice, or by a second store on the same file, as a no-op', async () => {
    const filename = await dbFile();
    const first = track(sqliteAuthStore({ filename, autoMigrate: false }));
    expect(await first.migrate()).toEqual({ applied: [1] });
    expect(await first.migrate()).toEqual({ applied: [1] });
    await first.close();
    const second = track(sqliteAuthStore({ filename, autoMigrate: false }));
    expect(await second.migrate()).toEqual({ applied: [] });
    const raw = new Database(filename, { readonly: true });
    try {
      expect(raw.prepare('select version, name from auth_migrations').all()).toEqual([
        { version: 1, name: 'initial schema' },
      ]);
    } finally {
      raw.close();
    }
  });

  it('without autoMigrate, fails with a StoreError until migrate() has run', async () => {
    const store = track(sqliteAuthStore({ filename: await dbFile(), autoMigrate: false }));
    await expect(store.findToken('x')).rejects.toMatchObject({ name: 'StoreError', code: 'ERR_STORE' });
    await store.migrate();
    expect(await store.findToken('x')).toBeNull();
  });

  it('names tables with the configured prefix and keeps prefixes apart in one file', async () => {
    const filename = await dbFile();
    const a = track(sqliteAuthStore({ filename, tablePrefix: 'svc_' }));
    const b = track(sqliteAuthStore({ filename, tablePrefix: '' }));
    await a.saveAuthorizationCode({
      hash: 'c',
      clientId: 'c',
      userId: 'u',
      businessId: null,
      redirectUri: 'r',
      scopes: [],
      codeChallenge: null,
      codeChallengeMethod: null,
      familyId: 'f',
      createdAt: 1,
      expiresAt: 2,
      consumedAt: null,
    });
    expect((await b.consumeAuthorizationCode('c', 1)).status).toBe('not_found');
    await a.close();
    await b.close();
    const raw = new Database(filename, { readonly: true });
    try {
      const names = (raw.prepare("select name from sqlite_master where type = 'table' order by name").all() as {
        name: string;
      }[]).map((r) => r.name);
      expect(names).toEqual([
        'authorization_codes',
        'clients',
        'credentials',
        'migrations',
        'svc_authorization_codes',
        'svc_clients',
        'svc_credentials',
        'svc_migrations',
        'svc_tokens',
        'tokens',
      ]);
    } finally {
      raw.close();
    }
  });

  it('refuses a table prefix that is not a plain identifier', () => {
    expect(() => sqliteAuthStore({ filename: ':memory:', tablePrefix: 'x"; drop table y; --' })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG' }),
    );
    expect(() => sqliteAuthStore({ filename: '' })).toThrow(expect.objectContaining({ code: 'ERR_CONFIG' }));
  });

  it('checkpoints the WAL after walAutocheckpointPages pages, and never when it is 0', async () => {
    const records = storeRecords(() => 1_700_000_000_000);
    const walPages = async (walAutocheckpointPages?: number) => {
      const filename = await dbFile();
      const store = track(sqliteAuthStore({ filename, ...(walAutocheckpointPages === undefined ? {} : { walAutocheckpointPages }) }));
      // 40 commits of 50 rows: far more than 50 pages of WAL in all.
      for (let i = 0; i < 40; i++) await store.saveTokens(Array.from({ length: 50 }, () => records.token()));
      return Math.floor((await stat(`${filename}-wal`)).size / 4096);
    };
    const never = await walPages(0);
    const often = await walPages(50);
    // Checkpointed every 50 pages, the WAL is reset and reused, so it never grows far past 50 pages.
    expect(often).toBeLessThan(200);
    expect(never).toBeGreaterThan(often * 3);
    // The default (10000) is a limit this workload never reaches: the WAL grows as with none (page counts
    // vary with the random keys). SQLite's own default (1000) would have checkpointed.
    expect(await walPages()).toBeGreaterThan(1000);
  });

  it('refuses a walAutocheckpointPages or busyTimeoutMs that is not a non-negative integer', () => {
    for (const bad of [-1, 1.5, Number.NaN]) {
      expect(() => sqliteAuthStore({ filename: ':memory:', walAutocheckpointPages: bad })).toThrow(
        expect.objectContaining({ code: 'ERR_CONFIG', message: expect.stringContaining('walAutocheckpointPages') }),
      );
      expect(() => sqliteAuthStore({ filename: ':memory:', busyTimeoutMs: bad })).toThrow(expect.objectContaining({ code: 'ERR_CONFIG' }));
    }
  });

  it('wraps driver errors in StoreError without SQL or key values in the message', async () => {
    const store = track(sqliteAuthStore({ filename: ':memory:' }));
    const client: ClientRecord = {
      clientId: 'client_secret_value',
      name: 'n',
      type: 'public',
      redirectUris: [],
      grantTypes: [],
      scopes: [],
      tokenEndpointAuthMethod: 'none',
      environment: null,
      ownerUserId: null,
      businessId: null,
      createdAt: 1,
      revokedAt: null,
    };
    await store.createClient(client);
    const err = await store.createClient(client).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'StoreError', code: 'ERR_STORE' });
    expect((err as Error).message).toBe('@auth/sql-store: createClient failed: a record with this key already exists');
    expect((err as Error).cause).toBeInstanceOf(Error);
  });

  it('reports use after close as a StoreError', async () => {
    const store = sqliteAuthStore({ filename: ':memory:' });
    await store.migrate();
    await store.close();
    await expect(store.findToken('x')).rejects.toMatchObject({ name: 'StoreError' });
  });

  it('clears sealed successors in deleteExpired only after the retention period (default one day)', async () => {
    const store = track(sqliteAuthStore({ filename: ':memory:' }));
    const parent: TokenRecord = {
      hash: 'p',
      type: 'refresh_token',
      familyId: 'f',
      clientId: 'c',
      userId: null,
      businessId: null,
      scopes: [],
      createdAt: T0,
      expiresAt: T0 + 7 * 86_400_000,
      revokedAt: null,
      rotatedAt: null,
      successor: null,
    };
    await store.saveTokens([parent]);
    await store.rotateRefreshToken({ hash: 'p', now: T0, graceMs: 300_000, successor: 'sealed', successorRecords: [] });
    expect(await store.deleteExpired(T0 + 86_400_000 - 1)).toBe(0);
    expect((await store.findToken('p'))?.successor).toBe('sealed');
    expect(await store.deleteExpired(T0 + 86_400_000)).toBe(0);
    expect(await store.findToken('p')).toEqual({ ...parent, rotatedAt: T0, successor: null });
  });

  it('saves more tokens than one INSERT can carry, atomically', async () => {
    const store = track(sqliteAuthStore({ filename: ':memory:' }));
    const base: TokenRecord = {
      hash: '',
      type: 'access_token',
      familyId: 'bulk',
      clientId: 'c',
      userId: null,
      businessId: null,
      scopes: ['a'],
      createdAt: 1,
      expiresAt: 2,
      revokedAt: null,
      rotatedAt: null,
      successor: null,
    };
    const records = Array.from({ length: 1_201 }, (_, i) => ({ ...base, hash: `t${i}` }));
    await store.saveTokens(records);
    expect(await store.revokeFamily('bulk', 3)).toBe(1_201);
    const clash = [{ ...base, hash: 'new-1' }, ...records.slice(0, 600), { ...base, hash: 'new-2' }];
    await expect(store.saveTokens(clash)).rejects.toMatchObject({ name: 'StoreError' });
    expect(await store.findToken('new-1')).toBeNull();
  });

  it('works over a caller-owned Kysely instance, ignoring its plugins and leaving it open on close', async () => {
    const db = new Kysely<unknown>({
      dialect: new SqliteDialect({ database: new Database(':memory:') }),
      plugins: [new CamelCasePlugin()],
    });
    cleanups.push(() => db.destroy());
    const store = sqlAuthStore({ db, dialect: 'sqlite', tablePrefix: 'own_' });
    const token: TokenRecord = {
      hash: 'h',
      type: 'access_token',
      familyId: 'f',
      clientId: 'c',
      userId: 'u',
      businessId: null,
      scopes: ['a', 'b'],
      createdAt: 1,
      expiresAt: 2,
      revokedAt: null,
      rotatedAt: null,
      successor: null,
    };
    await store.saveTokens([token]);
    expect(await store.findToken('h')).toEqual(token);
    await store.close();
    const { rows } = await sql<{ n: number }>`select count(*) as n from own_tokens`.execute(db);
    expect(rows).toEqual([{ n: 1 }]);
  });
});
