/**
 * Issue 7, crash safety: SIGKILL a provider process while it answers a bounded load of client_credentials
 * token requests on the embedded SQLite store, restart it on the same file: every token answered with
 * 200 still verifies, the file passes an integrity check, and new requests work.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteAuthStore } from '../../src/index.js';
import { introspect, type Provider, postForm, registerClient, seedingServer, startProvider, stopProviders } from './provider-processes.js';

const WORKERS = 16;
const KILL_AFTER = 150;
const MAX_REQUESTS = 2_000;

let dir: string;
let filename: string;
let client: { clientId: string; clientSecret: string };
const providers: Provider[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'auth-crash-'));
  filename = join(dir, 'auth.db');
  const store = sqliteAuthStore({ filename });
  await store.migrate();
  const seeder = seedingServer(store);
  client = await registerClient(seeder);
  await seeder.close();
  await store.close();
});

afterAll(async () => {
  await stopProviders(providers);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a provider killed with SIGKILL mid-load (SQLite file)', () => {
  it('loses no answered token and leaves nothing half-written', async () => {
    const env = { STORE_KIND: 'sqlite', STORE_URL: filename };
    const victim = await startProvider(env);
    providers.push(victim);

    const answered: string[] = [];
    let sent = 0;
    let failedAfterKill = 0;
    let killedAt: number | null = null;
    const worker = async () => {
      while (sent < MAX_REQUESTS) {
        sent++;
        try {
          const res = await postForm(`${victim.url}/oauth/token`, { grant_type: 'client_credentials', scope: 'read' }, client);
          const body = (await res.json()) as { access_token?: string };
          if (res.status !== 200 || !body.access_token) throw new Error(`status ${res.status}`);
          answered.push(body.access_token);
          if (answered.length === KILL_AFTER && killedAt === null) {
            killedAt = Date.now();
            victim.child.process.kill('SIGKILL');
          }
        } catch (err) {
          if (killedAt === null) throw err;
          failedAfterKill++;
          return;
        }
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
    expect(await victim.child.exited).toBe('SIGKILL');
    console.log(
      `[sigkill] ${answered.length} tokens answered 200, ${failedAfterKill} requests cut off by the kill, ${sent} sent`,
    );
    expect(answered.length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(failedAfterKill).toBeGreaterThan(0);

    const restarted = await startProvider(env);
    providers.push(restarted);
    const active = await Promise.all(answered.map((token) => introspect(restarted, client, token)));
    expect(active.filter((a) => !a)).toHaveLength(0);
    // The same tokens authenticate API calls on the restarted replica.
    for (const token of answered.slice(-5)) {
      const res = await fetch(`${restarted.url}/api/whoami`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
    }

    const db = new Database(filename, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
    const fresh = await Promise.all(
      Array.from({ length: 20 }, () => postForm(`${restarted.url}/oauth/token`, { grant_type: 'client_credentials' }, client)),
    );
    expect(fresh.map((r) => r.status)).toEqual(Array(20).fill(200));
    const token = ((await fresh[0]!.json()) as { access_token: string }).access_token;
    expect(await introspect(restarted, client, token)).toBe(true);
  }, 60_000);
});
