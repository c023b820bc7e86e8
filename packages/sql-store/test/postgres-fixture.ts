import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The Postgres the suite needs. CI and this machine provide it; override with AUTH_TEST_POSTGRES_URL. */
export const POSTGRES_URL = process.env.AUTH_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * An admin connection for creating and dropping per-test schemas. Fails loudly when Postgres is not there:
 * the Postgres suite is required, never skipped.
 */
export async function connectAdmin(): Promise<pg.Pool> {
  const admin = new pg.Pool({ connectionString: POSTGRES_URL, max: 2, connectionTimeoutMillis: 5000 });
  try {
    await admin.query('select 1');
  } catch (err) {
    await admin.end().catch(() => undefined);
    throw new Error(
      `Postgres is unreachable at ${POSTGRES_URL.replace(/\/\/[^@]*@/, '//')} (${(err as Error).message}). ` +
        'The @auth/sql-store Postgres suite requires it: start Postgres or set AUTH_TEST_POSTGRES_URL.',
    );
  }
  return admin;
}

/** A fresh schema with a random name, so parallel runs never share tables. */
export async function createSchema(admin: pg.Pool): Promise<string> {
  const schema = `auth_test_${randomBytes(6).toString('hex')}`;
  await admin.query(`create schema "${schema}"`);
  return schema;
}

/** Drop a schema made by {@link createSchema} and everything in it. */
export async function dropSchema(admin: pg.Pool, schema: string): Promise<void> {
  await admin.query(`drop schema if exists "${schema}" cascade`);
}

/** A connection string whose sessions use `schema` first. */
export function urlForSchema(schema: string): string {
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}
