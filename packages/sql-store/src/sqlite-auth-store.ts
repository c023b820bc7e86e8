import { ConfigError } from '@auth/core';
import { type CompiledQuery, Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import { buildSqlAuthStore, type SqlAuthStore, type SqlAuthStoreOptions, type SyncSqlite } from './sql-auth-store.js';
import { StatementCachingDatabase } from './statement-cache.js';

/** See {@link SqliteAuthStoreOptions.walAutocheckpointPages}. */
const DEFAULT_WAL_AUTOCHECKPOINT_PAGES = 10_000;

/** What {@link configureConnection} needs of a better-sqlite3 `Database`. */
export interface PragmaDatabase {
  pragma(source: string): unknown;
}

/**
 * The connection settings of {@link sqliteAuthStore}, applied once when the file is opened.
 * @internal Exported for tests.
 */
export function configureConnection(
  sqlite: PragmaDatabase,
  { busyTimeoutMs, walAutocheckpointPages }: { busyTimeoutMs: number; walAutocheckpointPages: number },
): void {
  // Set before anything else touches the file: a busy error during the WAL switch is still a busy error.
  sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
  sqlite.pragma('journal_mode = WAL');
  // WAL makes NORMAL durable against application crashes; only an OS crash can lose the last commits.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`wal_autocheckpoint = ${walAutocheckpointPages}`);
  // Temporary files in memory. A batch of refresh-token rotations (UPDATEs, then one multi-row INSERT,
  // in one transaction) made SQLite open, unlink and close a statement-journal file in the temp directory
  // per batch: measured, 10% of a refresh_token grant's CPU. They hold one transaction's undo at most.
  sqlite.pragma('temp_store = MEMORY');
}

/** Options of {@link sqliteAuthStore}. */
export interface SqliteAuthStoreOptions extends SqlAuthStoreOptions {
  /** Path of the database file (created if missing), or `':memory:'` for a throwaway database. */
  filename: string;
  /**
   * How long a write waits for another process holding the write lock before failing with a busy
   * `StoreError`, in milliseconds. Default 5000.
   */
  busyTimeoutMs?: number;
  /**
   * WAL pages written before a commit also copies them back into the database file (SQLite's
   * `wal_autocheckpoint`). Default 10000 (about 40 MB of WAL at 4 KiB pages), against SQLite's 1000: token
   * inserts rewrite the same index pages over and over, and a checkpoint copies each page once however
   * often it was rewritten, so checkpointing less often copies fewer pages in total (measured: 8-15% more
   * token grants per second). The price is a larger WAL file between checkpoints and a longer pause
   * for the commit that runs one. `0` turns automatic checkpoints off (run `PRAGMA wal_checkpoint` yourself).
   */
  walAutocheckpointPages?: number;
}

/**
 * The embedded default: an {@link SqlAuthStore} in one SQLite file through better-sqlite3 (install it
 * next to this package). The file is opened in WAL mode, so readers never block the writer and several
 * processes on one machine may share it; `busy_timeout` makes writers queue instead of failing, foreign
 * keys are enforced, and SQLite's temporary files are kept in memory (`temp_store = MEMORY`).
 * better-sqlite3 is loaded on first use, so Postgres-only apps need not install it.
 *
 * @example
 * ```ts
 * import { createAuthServer } from '@auth/core';
 * import { sqliteAuthStore } from '@auth/sql-store';
 *
 * const store = sqliteAuthStore({ filename: './auth.db' }); // tables are created on first use
 * const auth = createAuthServer({ issuer, secrets, store });
 * ```
 */
export function sqliteAuthStore(options: SqliteAuthStoreOptions): SqlAuthStore {
  const { filename, busyTimeoutMs = 5000, walAutocheckpointPages = DEFAULT_WAL_AUTOCHECKPOINT_PAGES, ...rest } = options;
  if (typeof filename !== 'string' || filename === '') throw new ConfigError('filename is required');
  if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new ConfigError('busyTimeoutMs must be a non-negative integer');
  }
  if (!Number.isInteger(walAutocheckpointPages) || walAutocheckpointPages < 0) {
    throw new ConfigError('walAutocheckpointPages must be a non-negative integer');
  }
  let statements: StatementCachingDatabase | undefined;
  const db = new Kysely<unknown>({
    dialect: new SqliteDialect({
      database: async (): Promise<SqliteDatabase> => {
        const { default: Database } = await import('better-sqlite3');
        const sqlite = new Database(filename);
        configureConnection(sqlite, { busyTimeoutMs, walAutocheckpointPages });
        statements = new StatementCachingDatabase(sqlite);
        return statements;
      },
    }),
  });
  let sync: SyncSqlite | undefined;
  return buildSqlAuthStore(
    { ...rest, db, dialect: 'sqlite', destroyOnClose: true },
    {
      afterMigrate: () => statements?.clear(),
      syncSqlite: () => (sync ??= syncSqlite(statements!)),
    },
  );
}

/** {@link SyncSqlite} over the store's statement cache. */
function syncSqlite(statements: StatementCachingDatabase): SyncSqlite {
  const run = (sql: string) => statements.prepare(sql).run([]);
  return {
    transaction(fn) {
      run('begin');
      try {
        const result = fn();
        run('commit');
        return result;
      } catch (err) {
        // SQLite has already rolled back by itself after some errors (a full disk, for one): the error
        // that matters is the first.
        try {
          run('rollback');
        } catch {}
        throw err;
      }
    },
    query<R>(query: CompiledQuery<R>): R[] {
      const statement = statements.prepare(query.sql);
      if (statement.reader) return statement.all(query.parameters) as R[];
      statement.run(query.parameters);
      return [];
    },
  };
}
