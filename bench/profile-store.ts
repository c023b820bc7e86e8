/**
 * `node --import tsx bench/profile-store.ts [sqlite|postgres] [msPerOp]`: per-operation cost of
 * @auth/sql-store on the token endpoint's hot operations, one call at a time. Prints wall µs/op, ops/s and
 * this process's CPU µs/op (the figure that matters under load: on Postgres the wall time is mostly the
 * round trip). Add `--conditions=@auth/source` to measure the TypeScript source instead of dist.
 *
 * SQLite runs on a file in a temp directory; Postgres (AUTH_BENCH_POSTGRES_URL, default
 * postgres://postgres@127.0.0.1:5432/test) in a fresh schema dropped afterwards. Every loop is bounded by
 * a count and a time.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthStore, ClientRecord, CredentialRecord, TokenRecord } from '@auth/core';
import type { SqlAuthStore } from '@auth/sql-store';
import pg from 'pg';

// AUTH_PROFILE_STORE_MODULE: the absolute path of another copy of the package's entry (an older checkout's
// src/index.ts), to compare two versions on the same machine state.
const { postgresAuthStore, sqliteAuthStore } = (await import(
  process.env.AUTH_PROFILE_STORE_MODULE || '@auth/sql-store'
)) as typeof import('@auth/sql-store');

const [kind = 'sqlite', msArg = '1500'] = process.argv.slice(2);
if (kind !== 'sqlite' && kind !== 'postgres') throw new Error('usage: profile-store.ts [sqlite|postgres] [msPerOp]');
const MS_PER_OP = Number(msArg);
const MAX_OPS = 200_000;
const WARMUP_OPS = 2_000;
const PG_URL = process.env.AUTH_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const NOW = Date.now();

const client: ClientRecord = {
  clientId: 'client_bench',
  name: 'bench',
  type: 'confidential',
  redirectUris: [],
  grantTypes: ['client_credentials', 'refresh_token'],
  scopes: ['read'],
  tokenEndpointAuthMethod: 'client_secret_basic',
  environment: null,
  ownerUserId: 'u_1',
  businessId: 'b_1',
  createdAt: NOW,
  revokedAt: null,
};
const credential: CredentialRecord = {
  id: 'cs_bench',
  kind: 'client_secret',
  hash: 'hash_client_secret_bench',
  hint: 'abcd',
  userId: null,
  businessId: 'b_1',
  clientId: client.clientId,
  name: 'bench secret',
  scopes: ['read'],
  createdAt: NOW,
  expiresAt: null,
  revokedAt: null,
  lastUsedAt: null,
};
const token = (hash: string, type: TokenRecord['type']): TokenRecord => ({
  hash,
  type,
  familyId: 'fam_bench',
  clientId: client.clientId,
  userId: 'u_1',
  businessId: 'b_1',
  scopes: ['read'],
  createdAt: NOW,
  expiresAt: NOW + 86_400_000,
  revokedAt: null,
  rotatedAt: null,
  successor: null,
});

interface Result {
  op: string;
  ops: number;
  wallUs: number;
  cpuUs: number;
}

/** Run `fn(i)` sequentially until `MS_PER_OP` or `MAX_OPS`, after a bounded warmup. */
async function measure(op: string, fn: (i: number) => Promise<unknown>, start: { i: number }): Promise<Result> {
  for (let n = 0; n < WARMUP_OPS; n++) await fn(start.i++);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let ops = 0;
  while (ops < MAX_OPS && performance.now() - t0 < MS_PER_OP) {
    await fn(start.i++);
    ops++;
  }
  const cpu = process.cpuUsage(c0);
  const wall = performance.now() - t0;
  return { op, ops, wallUs: (wall * 1000) / ops, cpuUs: (cpu.user + cpu.system) / ops };
}

async function bench(store: AuthStore): Promise<Result[]> {
  await store.createClient(client);
  await store.createCredential(credential);
  await store.saveTokens([token('at_fixed', 'access_token')]);
  const prefix = randomBytes(4).toString('hex');
  const counter = { i: 0 };
  let parent = `rt_${prefix}_seed`;
  await store.saveTokens([token(parent, 'refresh_token')]);
  const touched = new Map<string, number>();
  const results: Result[] = [];
  results.push(
    await measure(
      'getClient',
      async () => {
        if (!(await store.getClient(client.clientId))) throw new Error('client not found');
      },
      counter,
    ),
  );
  results.push(
    await measure(
      'findCredentialByHash',
      async () => {
        if (!(await store.findCredentialByHash(credential.hash))) throw new Error('credential not found');
      },
      counter,
    ),
  );
  results.push(
    await measure(
      'saveTokens(2)',
      (i) => store.saveTokens([token(`at_${prefix}_${i}`, 'access_token'), token(`rt_${prefix}_${i}`, 'refresh_token')]),
      counter,
    ),
  );
  results.push(
    await measure(
      'findToken',
      async () => {
        if (!(await store.findToken('at_fixed'))) throw new Error('token not found');
      },
      counter,
    ),
  );
  results.push(
    await measure(
      'rotateRefreshToken',
      async (i) => {
        // Each call rotates the successor of the previous one: always the winning path, as on the endpoint.
        const next = `rt_${prefix}_rot_${i}`;
        const result = await store.rotateRefreshToken({
          hash: parent,
          now: NOW + i,
          graceMs: 300_000,
          successor: 'sealed',
          successorRecords: [token(`at_${prefix}_rot_${i}`, 'access_token'), token(next, 'refresh_token')],
        });
        if (result.status !== 'rotated') throw new Error(`rotation ${result.status}`);
        parent = next;
      },
      counter,
    ),
  );
  results.push(
    await measure(
      'touchCredentials(1)',
      (i) => {
        touched.set(credential.id, NOW + i);
        return store.touchCredentials(touched);
      },
      counter,
    ),
  );
  return results;
}

async function withStore(): Promise<{ store: SqlAuthStore; done(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'auth-profile-store-'));
    const store = sqliteAuthStore({ filename: join(dir, 'auth.db') });
    return {
      store,
      done: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `auth_profile_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Pool({ connectionString: PG_URL, max: 1 });
  await admin.query(`create schema "${schema}"`);
  const url = new URL(PG_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const store = postgresAuthStore({ connectionString: url.toString(), max: 10 });
  return {
    store,
    done: async () => {
      await store.close();
      await admin.query(`drop schema if exists "${schema}" cascade`);
      await admin.end();
    },
  };
}

const { store, done } = await withStore();
try {
  await store.migrate();
  const results = await bench(store);
  console.log(`${kind}: sequential calls, ${MS_PER_OP} ms per operation (Node ${process.version})`);
  console.log('| operation | ops/s | wall µs/op | CPU µs/op |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const r of results) {
    console.log(
      `| ${r.op} | ${Math.round(1e6 / r.wallUs).toLocaleString('en-US')} | ${r.wallUs.toFixed(1)} | ${r.cpuUs.toFixed(1)} |`,
    );
  }
} finally {
  await done();
}
