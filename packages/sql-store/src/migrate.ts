import { type Kysely, sql } from 'kysely';
import { MIGRATIONS, type Migration } from './migrations.js';
import type { AuthDatabase, SqlDialectName } from './tables.js';

/** What {@link runMigrations} did. */
export interface MigrationReport {
  /** Versions applied by this call, oldest first. Empty when the schema was already current. */
  applied: number[];
}

/**
 * Bring the schema up to date: create the `migrations` table if needed, then apply every version not yet
 * recorded there, all in one transaction.
 *
 * Safe when several processes start at once: on Postgres the transaction first takes a transaction-scoped
 * advisory lock keyed by schema and table prefix, so runners queue and later ones find nothing to do (DDL
 * is transactional, so a crash leaves nothing half-applied). On SQLite `BEGIN IMMEDIATE` takes the single
 * write lock up front, and `busy_timeout` makes the others wait for it.
 *
 * @example
 * ```ts
 * const { applied } = await runMigrations(db.withPlugin(new TablePrefixPlugin('auth_')), 'postgres', 'auth_');
 * ```
 */
export async function runMigrations(
  db: Kysely<AuthDatabase>,
  dialect: SqlDialectName,
  tablePrefix: string,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationReport> {
  const apply = async (trx: Kysely<AuthDatabase>): Promise<MigrationReport> => {
    await trx.schema
      .createTable('migrations')
      .ifNotExists()
      .addColumn('version', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('applied_at', 'bigint', (c) => c.notNull())
      .execute();
    const done = new Set((await trx.selectFrom('migrations').select('version').execute()).map((r) => Number(r.version)));
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      await migration.up(trx, { tablePrefix });
      await trx
        .insertInto('migrations')
        .values({ version: migration.version, name: migration.name, applied_at: Date.now() })
        .execute();
      applied.push(migration.version);
    }
    return { applied };
  };

  if (dialect === 'postgres') {
    return db.transaction().execute(async (trx) => {
      const key = `@auth/sql-store:${tablePrefix}`;
      await sql`select pg_advisory_xact_lock(hashtextextended(${key} || ':' || coalesce(current_schema(), ''), 0))`.execute(
        trx,
      );
      return apply(trx);
    });
  }
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const report = await apply(conn);
      await sql`commit`.execute(conn);
      return report;
    } catch (err) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw err;
    }
  });
}
