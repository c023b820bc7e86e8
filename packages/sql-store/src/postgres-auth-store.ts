import { ConfigError } from '@auth/core';
import { Kysely, PostgresDialect, type PostgresPool } from 'kysely';
import { namingPool } from './named-statements.js';
import { type SqlAuthStore, type SqlAuthStoreOptions, sqlAuthStore } from './sql-auth-store.js';

/** Options of {@link postgresAuthStore} whatever the pool. */
export interface PostgresStatementOptions {
  /**
   * Run the store's parameterised queries as named prepared statements, parsed and planned once per
   * connection instead of on every call. Default `true` for the pool the store creates, `false` for your
   * own pool (its connections are yours: a `DISCARD ALL` there would drop statements pg believes
   * prepared). Turn it off behind a pooler that does not keep a session per client, such as PgBouncer in
   * transaction mode without `max_prepared_statements`.
   */
  preparedStatements?: boolean;
}

/** Options of {@link postgresAuthStore}: a connection string (the store owns the pool) or your pool. */
export type PostgresAuthStoreOptions = SqlAuthStoreOptions &
  PostgresStatementOptions &
  (
    | {
        /** `postgres://user:pass@host:5432/db`. Add `?options=-c%20search_path%3Dmy_schema` for a schema. */
        connectionString: string;
        /** Pool size. Default 10. */
        max?: number;
      }
    | {
        /**
         * A `pg.Pool` (or anything with `connect()` / `end()`). It stays yours: `close()` does not end it.
         * If it keeps pg's default parsers, `BIGINT` columns arrive as strings and the store converts them.
         */
        pool: PostgresPool;
      }
  );

/** pg's OID of `int8` (`BIGINT`). */
const INT8_OID = 20;

/**
 * An {@link SqlAuthStore} on Postgres through `pg` (install it next to this package): for several
 * processes or machines sharing one database. Code consumption and refresh rotation stay atomic across
 * all of them; migrations take an advisory lock, so replicas may start together.
 *
 * @example
 * ```ts
 * import { postgresAuthStore } from '@auth/sql-store';
 *
 * const store = postgresAuthStore({ connectionString: process.env.DATABASE_URL!, max: 20 });
 * await store.migrate(); // or let the first operation do it
 * ```
 */
export function postgresAuthStore(options: PostgresAuthStoreOptions): SqlAuthStore {
  if ('pool' in options) {
    const { pool, preparedStatements = false, ...rest } = options;
    if (!pool || typeof pool.connect !== 'function') throw new ConfigError('pool must be a pg.Pool');
    // Kysely ends the pool it was given on destroy; hand it a view whose end() leaves the caller's pool open.
    const borrowed: PostgresPool = { connect: () => pool.connect(), end: async () => undefined };
    const db = new Kysely<unknown>({
      dialect: new PostgresDialect({ pool: preparedStatements ? namingPool(borrowed) : borrowed }),
    });
    return sqlAuthStore({ ...rest, db, dialect: 'postgres', destroyOnClose: true });
  }
  const { connectionString, max = 10, preparedStatements = true, ...rest } = options;
  if (typeof connectionString !== 'string' || connectionString === '') {
    throw new ConfigError('connectionString is required');
  }
  const db = new Kysely<unknown>({
    dialect: new PostgresDialect({
      pool: async () => {
        const { default: pg } = await import('pg');
        const pool = new pg.Pool({
          connectionString,
          max,
          // Per pool, not pg.types globally: epoch milliseconds come back as numbers without changing
          // how the rest of the application parses BIGINT.
          types: {
            getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
              oid === INT8_OID && format !== 'binary'
                ? (value: string) => Number(value)
                : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
          },
        });
        return preparedStatements ? namingPool(pool) : pool;
      },
    }),
  });
  return sqlAuthStore({ ...rest, db, dialect: 'postgres', destroyOnClose: true });
}
