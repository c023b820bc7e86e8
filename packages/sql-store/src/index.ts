/**
 * `@auth/sql-store`: the `AuthStore` of `@auth/core` on SQL, through Kysely. A SQLite file is the
 * embedded default ({@link sqliteAuthStore}); Postgres serves several processes ({@link postgresAuthStore});
 * {@link sqlAuthStore} takes a Kysely instance you already have.
 *
 * @example
 * ```ts
 * import { sqliteAuthStore } from '@auth/sql-store';
 * const store = sqliteAuthStore({ filename: './auth.db' });
 * ```
 *
 * @module
 */
export type { MigrationReport } from './migrate.js';
export {
  type PostgresAuthStoreOptions,
  type PostgresStatementOptions,
  postgresAuthStore,
} from './postgres-auth-store.js';
export {
  type SqlAuthStore,
  type SqlAuthStoreConfig,
  type SqlAuthStoreOptions,
  sqlAuthStore,
} from './sql-auth-store.js';
export { type SqliteAuthStoreOptions, sqliteAuthStore } from './sqlite-auth-store.js';
export type { AuthDatabase, SqlDialectName } from './tables.js';
