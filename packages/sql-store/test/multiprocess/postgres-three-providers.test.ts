/**
 * Issue 7: three provider processes on one Postgres schema keep refresh rotation and code consumption
 * atomic: 100 parallel refreshes of one refresh token spread over them all get the identical successor,
 * and a code redeemed on two processes at once succeeds exactly once.
 */
import type { AuthServer } from '@auth/core';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAuthStore, type SqlAuthStore } from '../../src/index.js';
import { connectAdmin, createSchema, dropSchema, urlForSchema } from '../postgres-fixture.js';
import {
  introspect,
  type Provider,
  postForm,
  REDIRECT_URI,
  registerClient,
  seedCode,
  seedingServer,
  startProvider,
  stopProviders,
} from './provider-processes.js';

let admin: pg.Pool;
let schema: string;
let store: SqlAuthStore;
let seeder: AuthServer;
let client: { clientId: string; clientSecret: string };
const providers: Provider[] = [];

beforeAll(async () => {
  admin = await connectAdmin();
  schema = await createSchema(admin);
  store = postgresAuthStore({ connectionString: urlForSchema(schema), max: 4 });
  await store.migrate();
  seeder = seedingServer(store);
  client = await registerClient(seeder);
  const env = { STORE_KIND: 'postgres', STORE_URL: urlForSchema(schema) };
  // Started one after another: three cold tsx starts at once starve two cores.
  for (let i = 0; i < 3; i++) providers.push(await startProvider(env));
}, 60_000);

afterAll(async () => {
  await stopProviders(providers);
  await seeder?.close();
  await store?.close();
  if (schema) await dropSchema(admin, schema);
  await admin?.end();
});

function redeem(provider: Provider, code: string, verifier: string): Promise<Response> {
  return postForm(
    `${provider.url}/oauth/token`,
    { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI },
    client,
  );
}

describe('three provider processes on one Postgres database', () => {
  it('give 100 parallel refreshes of one refresh token, spread over all three, the identical successor', async () => {
    const { code, verifier } = await seedCode(seeder, client.clientId);
    const first = (await (await redeem(providers[0]!, code, verifier)).json()) as { refresh_token: string };
    expect(first.refresh_token).toBeTruthy();

    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        postForm(
          `${providers[i % 3]!.url}/oauth/token`,
          { grant_type: 'refresh_token', refresh_token: first.refresh_token },
          client,
        ),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(100).fill(200));
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as { access_token: string; refresh_token: string }[];
    const pairs = new Set(bodies.map((b) => `${b.access_token} ${b.refresh_token}`));
    console.log(`[postgres x3] 100 parallel refreshes -> ${pairs.size} distinct successor pair(s)`);
    expect(pairs.size).toBe(1);
    const successor = bodies[0]!;
    expect(successor.refresh_token).not.toBe(first.refresh_token);
    // One family, one live successor: it verifies on every replica, and the next rotation works.
    for (const p of providers) expect(await introspect(p, client, successor.access_token)).toBe(true);
    const next = await postForm(
      `${providers[2]!.url}/oauth/token`,
      { grant_type: 'refresh_token', refresh_token: successor.refresh_token },
      client,
    );
    expect(next.status).toBe(200);
  });

  it('let exactly one of two concurrent redemptions of a code on two processes succeed (5 codes)', async () => {
    const outcomes: number[][] = [];
    for (let round = 0; round < 5; round++) {
      const { code, verifier } = await seedCode(seeder, client.clientId);
      const [a, b] = await Promise.all([redeem(providers[0]!, code, verifier), redeem(providers[1]!, code, verifier)]);
      outcomes.push([a.status, b.status].sort());
      const loser = a.status === 200 ? b : a;
      expect(await loser.json()).toMatchObject({ error: 'invalid_grant' });
    }
    expect(outcomes).toEqual(Array(5).fill([200, 400]));
  });
});
