import { describeAuthStoreContract, storeRecords } from '@auth/testkit';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { postgresAuthStore, type SqlAuthStore, sqlAuthStore } from '../src/index.js';
import { connectAdmin, createSchema, dropSchema, urlForSchema } from './postgres-fixture.js';

// Connected once; a failure is kept too, so without Postgres every test fails at once with its message
// (a failing beforeAll would only mark the tests skipped).
let admin: Promise<pg.Pool> | undefined;
const adminPool = (): Promise<pg.Pool> => (admin ??= connectAdmin());

afterAll(async () => {
  const pool = await admin?.catch(() => undefined);
  await pool?.end();
});

describeAuthStoreContract('postgresAuthStore', async () => {
  const pool = await adminPool();
  const schema = await createSchema(pool);
  // Ten connections, so 50 consumers and 100 rotations really race on row locks.
  const store = postgresAuthStore({ connectionString: urlForSchema(schema), max: 10 });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await dropSchema(pool, schema);
    },
  };
});

describe('postgresAuthStore specifics', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
  });

  async function freshSchema(): Promise<string> {
    const pool = await adminPool();
    const schema = await createSchema(pool);
    cleanups.push(() => dropSchema(pool, schema));
    return schema;
  }
  function track(store: SqlAuthStore): SqlAuthStore {
    cleanups.push(() => store.close());
    return store;
  }
  /** A store on a fresh schema whose Kysely instance logs every statement it sends into `queries`. */
  async function loggingStore(max: number): Promise<{ store: SqlAuthStore; queries: string[] }> {
    const schema = await freshSchema();
    const queries: string[] = [];
    const pool = new pg.Pool({ connectionString: urlForSchema(schema), max });
    const db = new Kysely<unknown>({
      dialect: new PostgresDialect({ pool }),
      log: (event) => {
        if (event.level === 'query') queries.push(event.query.sql);
      },
    });
    const store = track(sqlAuthStore({ db, dialect: 'postgres' }));
    cleanups.push(() => db.destroy());
    return { store, queries };
  }
  const tables = async (schema: string) =>
    (
      await (await adminPool()).query<{ table_name: string }>(
        'select table_name from information_schema.tables where table_schema = $1 order by table_name',
        [schema],
      )
    ).rows.map((r) => r.table_name);


  it('joins the token inserts of concurrent requests into one statement; a duplicate fails only its caller', async () => {
    const schema = await freshSchema();
    const store = postgresAuthStore({ connectionString: urlForSchema(schema), max: 4 });
    cleanups.push(() => store.close());
    const records = storeRecords(() => Date.now());
    const existing = records.token();
    await store.saveTokens([existing]);
    const burst = Array.from({ length: 12 }, (_, i) =>
      i === 3 ? [{ ...records.token(), hash: existing.hash }] : [records.token({ type: 'access_token' }), records.token()],
    );
    const results = await Promise.allSettled(burst.map((batch) => store.saveTokens(batch)));
    expect(results.map((r) => r.status).filter((s) => s === 'rejected')).toHaveLength(1);
    expect(results[3]).toMatchObject({ status: 'rejected', reason: { name: 'StoreError' } });
    for (const [i, batch] of burst.entries()) {
      for (const record of batch) await expect(store.findToken(record.hash)).resolves.toEqual(i === 3 ? existing : record);
    }
  });
  it('rotates in one statement (one round trip), with the successor rows saved only when the rotation wins', async () => {
    const { store, queries } = await loggingStore(2);
    const records = storeRecords(() => Date.now());
    const parent = records.token();
    await store.saveTokens([parent]);
    const access = records.token({ type: 'access_token', familyId: parent.familyId });
    const refresh = records.token({ familyId: parent.familyId });
    const input = { hash: parent.hash, now: Date.now(), graceMs: 300_000, successor: 'sealed', successorRecords: [access, refresh] };

    queries.length = 0;
    await expect(store.rotateRefreshToken(input)).resolves.toMatchObject({ status: 'rotated' });
    expect(queries).toHaveLength(1);
    expect(await store.findToken(access.hash)).toEqual(access);
    expect(await store.findToken(refresh.hash)).toEqual(refresh);

    // The loser's statement inserts nothing; it then reads the winner's successor.
    const other = records.token({ familyId: parent.familyId });
    await expect(store.rotateRefreshToken({ ...input, successor: 'other', successorRecords: [other] })).resolves.toEqual({
      status: 'replayed',
      token: expect.objectContaining({ hash: parent.hash, successor: 'sealed' }),
      successor: 'sealed',
    });
    expect(await store.findToken(other.hash)).toBeNull();
  });

  it('rotates concurrent redemptions of different tokens in one statement, each under its own conditions', async () => {
    const { store, queries } = await loggingStore(4);
    const now = Date.now();
    const records = storeRecords(() => now);
    const live = Array.from({ length: 10 }, (_, i) => records.token({ userId: `user-${i}`, scopes: [`s${i}`] }));
    const expired = records.token({ expiresAt: now - 1 });
    const foreign = records.token({ clientId: 'client-2' });
    await store.saveTokens([...live, expired, foreign]);
    const successorsOf = () => [
      { hash: `${crypto.randomUUID()}-a`, type: 'access_token' as const, createdAt: now, expiresAt: now + 3_600_000 },
      { hash: `${crypto.randomUUID()}-r`, type: 'refresh_token' as const, createdAt: now, expiresAt: now + 172_800_000 },
    ];
    const parents = [...live, expired, foreign];
    const inputs = parents.map((parent) => ({
      hash: parent.hash,
      clientId: 'client-1',
      now,
      graceMs: 300_000,
      successor: `d1.${parent.hash.slice(0, 6)}`,
      successors: successorsOf(),
    }));
    queries.length = 0;
    const results = await Promise.all(inputs.map((input) => store.rotateRefreshTokenFor!(input)));
    // One batch statement, then one follow-up read for each of the two that did not rotate.
    expect(queries.filter((q) => q.includes('rotated_parent'))).toHaveLength(1);
    expect(queries).toHaveLength(3);
    expect(results.map((r) => r.status)).toEqual([...Array(10).fill('rotated'), 'invalid', 'invalid']);
    for (const [i, parent] of live.entries()) {
      expect(results[i]).toEqual({ status: 'rotated', token: { ...parent, rotatedAt: now, successor: inputs[i]!.successor } });
      for (const s of inputs[i]!.successors) {
        expect(await store.findToken(s.hash)).toEqual({
          ...s,
          familyId: parent.familyId,
          clientId: parent.clientId,
          userId: parent.userId,
          businessId: parent.businessId,
          scopes: parent.scopes,
          revokedAt: null,
          rotatedAt: null,
          successor: null,
        });
      }
    }
    for (const i of [10, 11]) {
      for (const s of inputs[i]!.successors) expect(await store.findToken(s.hash)).toBeNull();
    }
    expect(await store.findToken(foreign.hash)).toEqual(foreign);

    // The same through rotateRefreshToken (records given in full), batched the same way.
    const second = live.map((parent) => records.token({ familyId: parent.familyId }));
    await store.saveTokens(second);
    queries.length = 0;
    const given = second.map((parent) => ({
      hash: parent.hash,
      now,
      graceMs: 300_000,
      successor: 'd1.given',
      successorRecords: [records.token({ familyId: parent.familyId, type: 'access_token' }), records.token({ familyId: parent.familyId })],
    }));
    const rotated = await Promise.all(given.map((input) => store.rotateRefreshToken(input)));
    expect(rotated.every((r) => r.status === 'rotated')).toBe(true);
    expect(queries).toHaveLength(1);
    for (const input of given) for (const r of input.successorRecords) expect(await store.findToken(r.hash)).toEqual(r);
  });

  it('answers a rotation that loses to another process under a REPEATABLE READ default as replayed, not an error', async () => {
    const schema = await freshSchema();
    const url = new URL(urlForSchema(schema));
    url.searchParams.set('options', `${url.searchParams.get('options')} -c default_transaction_isolation=repeatable\\ read`);
    const store = track(postgresAuthStore({ connectionString: url.toString(), max: 2 }));
    const records = storeRecords(() => Date.now());
    const parent = records.token();
    await store.saveTokens([parent]);
    // Another process wins the rotation and holds its row lock while this store's rotation waits for it.
    const other = new pg.Client({ connectionString: url.toString() });
    await other.connect();
    cleanups.push(() => other.end());
    await other.query('begin');
    const now = Date.now();
    await other.query('update auth_tokens set rotated_at = $1, successor = $2 where hash = $3', [now, 'd1.other', parent.hash]);
    const waiting = store.rotateRefreshTokenFor!({
      hash: parent.hash,
      clientId: parent.clientId,
      now,
      graceMs: 300_000,
      successor: 'd1.mine',
      successors: [{ hash: `${crypto.randomUUID()}-r`, type: 'refresh_token', createdAt: now, expiresAt: now + 3_600_000 }],
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await other.query('commit');
    await expect(waiting).resolves.toEqual({
      status: 'replayed',
      token: { ...parent, rotatedAt: now, successor: 'd1.other' },
      successor: 'd1.other',
    });
  });

  it('retries a failed batch of rotations one by one: only the rotation whose successor clashes fails', async () => {
    const schema = await freshSchema();
    const store = track(postgresAuthStore({ connectionString: urlForSchema(schema), max: 4 }));
    const records = storeRecords(() => Date.now());
    const parents = [records.token(), records.token(), records.token()];
    const existing = records.token();
    await store.saveTokens([...parents, existing]);
    const inputs = parents.map((parent, i) => ({
      hash: parent.hash,
      now: Date.now(),
      graceMs: 300_000,
      successor: 'd1.batch',
      successorRecords: [records.token({ type: 'access_token' }), i === 1 ? { ...records.token(), hash: existing.hash } : records.token()],
    }));
    const results = await Promise.allSettled(inputs.map((input) => store.rotateRefreshToken(input)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(results[1]).toMatchObject({ reason: { name: 'StoreError' } });
    expect(await store.findToken(parents[1]!.hash)).toEqual(parents[1]);
    for (const i of [0, 2]) {
      expect((await store.findToken(parents[i]!.hash))?.rotatedAt).not.toBeNull();
      for (const r of inputs[i]!.successorRecords) expect(await store.findToken(r.hash)).toEqual(r);
    }
  });

  it('undoes a rotation whose successor rows cannot be saved, and lets it be retried', async () => {
    const schema = await freshSchema();
    const store = track(postgresAuthStore({ connectionString: urlForSchema(schema), max: 2 }));
    const records = storeRecords(() => Date.now());
    const parent = records.token();
    const existing = records.token();
    await store.saveTokens([parent, existing]);
    const input = { hash: parent.hash, now: Date.now(), graceMs: 300_000, successor: 'sealed' };
    const clash = { ...input, successorRecords: [records.token({ type: 'access_token' }), { ...records.token(), hash: existing.hash }] };
    await expect(store.rotateRefreshToken(clash)).rejects.toMatchObject({ name: 'StoreError' });
    expect(await store.findToken(parent.hash)).toEqual(parent);
    expect(await store.findToken(clash.successorRecords[0]!.hash)).toBeNull();
    expect(await store.findToken(existing.hash)).toEqual(existing);

    const good = records.token({ familyId: parent.familyId });
    await expect(store.rotateRefreshToken({ ...input, successorRecords: [good] })).resolves.toMatchObject({ status: 'rotated' });
    expect(await store.findToken(good.hash)).toEqual(good);
  });

  it('lets several stores migrate one schema at the same time; each version is applied once', async () => {
    const schema = await freshSchema();
    const stores = Array.from({ length: 4 }, () =>
      track(postgresAuthStore({ connectionString: urlForSchema(schema), max: 2, autoMigrate: false })),
    );
    const reports = await Promise.all(stores.map((s) => s.migrate()));
    expect(reports.map((r) => r.applied).sort()).toEqual([[], [], [], [1]]);
    const versions = await (await adminPool()).query(`select version from "${schema}".auth_migrations`);
    expect(versions.rows).toEqual([{ version: 1 }]);
    expect(await tables(schema)).toEqual([
      'auth_authorization_codes',
      'auth_clients',
      'auth_credentials',
      'auth_migrations',
      'auth_tokens',
    ]);
  });

  it('treats a second migration run as a no-op, from the same store or a new one', async () => {
    const schema = await freshSchema();
    const first = track(postgresAuthStore({ connectionString: urlForSchema(schema) }));
    expect(await first.migrate()).toEqual({ applied: [1] });
    expect(await first.migrate()).toEqual({ applied: [1] });
    const second = track(postgresAuthStore({ connectionString: urlForSchema(schema) }));
    expect(await second.migrate()).toEqual({ applied: [] });
  });

  it('keeps stores with different table prefixes apart in one schema', async () => {
    const schema = await freshSchema();
    const a = track(postgresAuthStore({ connectionString: urlForSchema(schema), tablePrefix: 'tenant_a_' }));
    const b = track(postgresAuthStore({ connectionString: urlForSchema(schema), tablePrefix: 'tenant_b_' }));
    const token = {
      hash: 'h1',
      type: 'access_token' as const,
      familyId: 'f',
      clientId: 'c',
      userId: null,
      businessId: null,
      scopes: [],
      createdAt: 1,
      expiresAt: 2,
      revokedAt: null,
      rotatedAt: null,
      successor: null,
    };
    await a.saveTokens([token]);
    expect(await a.findToken('h1')).toEqual(token);
    expect(await b.findToken('h1')).toBeNull();
    expect(await tables(schema)).toContain('tenant_b_tokens');
  });

  it('rotates once across two stores with their own pools, as two processes would', async () => {
    const schema = await freshSchema();
    const url = urlForSchema(schema);
    const a = track(postgresAuthStore({ connectionString: url, max: 5 }));
    const b = track(postgresAuthStore({ connectionString: url, max: 5 }));
    await a.migrate();
    const now = Date.now();
    const parent = {
      hash: 'parent',
      type: 'refresh_token' as const,
      familyId: 'fam',
      clientId: 'c',
      userId: 'u',
      businessId: null,
      scopes: ['s'],
      createdAt: now,
      expiresAt: now + 60_000,
      revokedAt: null,
      rotatedAt: null,
      successor: null,
    };
    await a.saveTokens([parent]);
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        (i % 2 ? a : b).rotateRefreshToken({
          hash: 'parent',
          now,
          graceMs: 300_000,
          successor: `successor-${i}`,
          successorRecords: [{ ...parent, hash: `child-${i}`, rotatedAt: null }],
        }),
      ),
    );
    const rotated = results.filter((r) => r.status === 'rotated');
    expect(rotated).toHaveLength(1);
    const winner = rotated[0]!.token.successor;
    expect(results.filter((r) => r.status === 'replayed' && r.successor === winner)).toHaveLength(59);
  });

  it('converts BIGINT strings from a caller-owned pool and leaves that pool open on close', async () => {
    const schema = await freshSchema();
    const pool = new pg.Pool({ connectionString: urlForSchema(schema), max: 3 });
    cleanups.push(() => pool.end());
    const store = postgresAuthStore({ pool });
    const big = 8_640_000_000_000_000;
    const cred = {
      id: 'id-1',
      kind: 'api_key' as const,
      hash: 'hash-1',
      hint: 'abcd',
      userId: 'u',
      businessId: 'b',
      clientId: null,
      name: 'n',
      scopes: ['x'],
      createdAt: big,
      expiresAt: big - 1,
      revokedAt: null,
      lastUsedAt: 1,
    };
    await store.createCredential(cred);
    const raw = await pool.query('select created_at from auth_credentials');
    expect(raw.rows[0].created_at).toBe(String(big));
    expect(await store.getCredential('id-1')).toEqual(cred);
    await store.close();
    expect((await pool.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
  });

  it('clears sealed successors in deleteExpired only after the retention period', async () => {
    const schema = await freshSchema();
    const store = track(postgresAuthStore({ connectionString: urlForSchema(schema), successorRetention: '10m' }));
    const t0 = 1_700_000_000_000;
    const parent = {
      hash: 'p',
      type: 'refresh_token' as const,
      familyId: 'f',
      clientId: 'c',
      userId: null,
      businessId: null,
      scopes: [],
      createdAt: t0,
      expiresAt: t0 + 86_400_000,
      revokedAt: null,
      rotatedAt: null,
      successor: null,
    };
    await store.saveTokens([parent]);
    await store.rotateRefreshToken({ hash: 'p', now: t0, graceMs: 300_000, successor: 'sealed', successorRecords: [] });
    await store.deleteExpired(t0 + 600_000 - 1);
    expect((await store.findToken('p'))?.successor).toBe('sealed');
    await store.deleteExpired(t0 + 600_000);
    expect(await store.findToken('p')).toEqual({ ...parent, rotatedAt: t0, successor: null });
  });

  const records = storeRecords(() => 1_700_000_000_000);
  const prepared = async (pool: pg.Pool) =>
    (await pool.query<{ name: string }>("select name from pg_prepared_statements where name like 'auth_store_%'")).rows;

  it("prepares its queries as named statements on its own pool, and not on a caller's unless asked", async () => {
    const schema = await freshSchema();
    const token = records.token();
    for (const [preparedStatements, expected] of [
      [undefined, 0],
      [false, 0],
      [true, 1],
    ] as const) {
      // One connection, so the store's session is the one pg_prepared_statements describes.
      const pool = new pg.Pool({ connectionString: urlForSchema(schema), max: 1 });
      cleanups.push(() => pool.end());
      const store = postgresAuthStore({ pool, preparedStatements });
      await store.migrate();
      if (expected > 0) await store.saveTokens([token]);
      expect(await store.findToken(token.hash)).toEqual(expected > 0 ? token : null);
      expect((await prepared(pool)).length > 0).toBe(expected > 0);
      await store.close();
    }
  });

  it('keeps its prepared statements valid when a newer migration adds columns, as in a rolling deploy', async () => {
    const schema = await freshSchema();
    const store = track(postgresAuthStore({ connectionString: urlForSchema(schema), max: 1 }));
    const token = records.token();
    const client = records.client();
    const credential = records.credential();
    await store.saveTokens([token]);
    await store.createClient(client);
    await store.createCredential(credential);
    expect(await store.findToken(token.hash)).toEqual(token);
    expect(await store.getClient(client.clientId)).toEqual(client);
    expect(await store.findCredentialByHash(credential.hash)).toEqual(credential);

    // `select *` prepared before this would now fail: "cached plan must not change result type".
    const admin = await adminPool();
    for (const table of ['tokens', 'clients', 'credentials']) {
      await admin.query(`alter table "${schema}".auth_${table} add column note text`);
    }
    expect(await store.findToken(token.hash)).toEqual(token);
    expect(await store.getClient(client.clientId)).toEqual(client);
    expect(await store.findCredentialByHash(credential.hash)).toEqual(credential);
    const rotated = await store.rotateRefreshToken({
      hash: token.hash,
      now: 1_700_000_000_001,
      graceMs: 1000,
      successor: 'sealed',
      successorRecords: [records.token()],
    });
    expect(rotated.status).toBe('rotated');
  });

  it('reports an unreachable database as a StoreError that names no SQL or secret', async () => {
    const store = postgresAuthStore({ connectionString: 'postgres://user:hunter2@127.0.0.1:1/nowhere' });
    cleanups.push(() => store.close());
    const err = await store.findToken('tok_secret').catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'StoreError', code: 'ERR_STORE' });
    expect((err as Error).message).toBe('@auth/sql-store: findToken failed: the database is unreachable');
  });
});
