import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** What the cache needs of a better-sqlite3 `Database`: prepare and close. */
export interface PreparingDatabase {
  prepare(sql: string): SqliteStatement & { readonly busy: boolean };
  close(): unknown;
}

/** Distinct SQL texts kept prepared: the store issues a few dozen shapes, plus chunked INSERTs by row count. */
export const STATEMENT_CACHE_SIZE = 256;

/**
 * A better-sqlite3 database as Kysely's `SqliteDialect` sees it, with prepared statements reused per SQL
 * text. Kysely's SQLite driver prepares every query anew, and `prepare()` was a quarter of the store's CPU
 * time per operation.
 *
 * Reuse is safe because better-sqlite3 runs `all()` and `run()` to completion synchronously, so no two
 * callers ever share a statement mid-execution. The one exception is `iterate()` (Kysely's `stream()`),
 * which keeps a statement busy across awaits: a busy statement is never handed out again; the caller gets
 * a fresh, uncached one instead. SQLite re-prepares a statement by itself when the schema changed since it
 * was compiled (another process migrating, for instance), so cached statements stay valid across
 * migrations. {@link clear} drops them anyway after this store migrates, which also releases statements
 * of one-off DDL. The least recently used statement is dropped beyond `maxSize` entries.
 */
export class StatementCachingDatabase implements SqliteDatabase {
  readonly #db: PreparingDatabase;
  readonly #maxSize: number;
  /** Insertion order is recency order: a hit moves its entry to the end. */
  readonly #statements = new Map<string, SqliteStatement & { readonly busy: boolean }>();

  constructor(db: PreparingDatabase, maxSize = STATEMENT_CACHE_SIZE) {
    this.#db = db;
    this.#maxSize = maxSize;
  }

  /** How many statements are cached (for tests). */
  get size(): number {
    return this.#statements.size;
  }

  prepare(sql: string): SqliteStatement {
    const cached = this.#statements.get(sql);
    if (cached !== undefined) {
      if (cached.busy) return this.#db.prepare(sql);
      this.#statements.delete(sql);
      this.#statements.set(sql, cached);
      return cached;
    }
    const statement = this.#db.prepare(sql);
    this.#statements.set(sql, statement);
    if (this.#statements.size > this.#maxSize) {
      const oldest = this.#statements.keys().next().value as string;
      this.#statements.delete(oldest);
    }
    return statement;
  }

  /** Forget every cached statement; the next `prepare()` of each SQL text compiles it again. */
  clear(): void {
    this.#statements.clear();
  }

  close(): void {
    this.#statements.clear();
    this.#db.close();
  }
}
