/** The Postgres path (DATABASE_URL), once: seed, serve, verify; in a unique schema that is dropped after. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { seed } from '../src/seed.js';
import { startProvider } from '../src/server.js';
import { Browser, signIn, testConfig, tempDataDir } from './harness.js';

const POSTGRES_URL = process.env.AUTH_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `provider_test_${randomBytes(6).toString('hex')}`;
const admin = new pg.Pool({ connectionString: POSTGRES_URL, max: 1 });
const data = tempDataDir();

afterAll(async () => {
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
  data.remove();
});

describe('Postgres (DATABASE_URL)', () => {
  it('seeds, serves and keeps every table in the schema on the search path', async () => {
    await admin.query(`CREATE SCHEMA ${schema}`);
    const url = new URL(POSTGRES_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const config = await testConfig(data.dir, { DATABASE_URL: url.href });
    const creds = await seed({ config });
    const provider = await startProvider({ config, logger: { warn() {}, error() {} } });
    try {
      const res = await fetch(`${config.providerUrl}/v1/me`, {
        headers: { 'x-api-key': creds.apiKey.key, 'x-business-id': creds.apiKey.businessId, 'x-user-id': creds.apiKey.userId },
      });
      expect(await res.json()).toMatchObject({ method: 'api_key', userId: 'usr_demo' });
      const b = new Browser();
      expect((await signIn(b, { url: config.providerUrl, creds } as never)).status).toBe(303);
      expect((await b.fetch(`${config.providerUrl}/v1/campaigns`)).status).toBe(200);
      const tables = await admin.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [schema]);
      const names = tables.rows.map((r: { table_name: string }) => r.table_name);
      expect(names).toEqual(expect.arrayContaining(['auth_credentials', 'app_accounts', 'app_consents', 'app_campaigns']));
    } finally {
      await provider.stop();
    }
  });
});
