import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

/**
 * Distinct SQL texts given a name, per process. Postgres keeps a named statement for the life of the
 * connection (pg never deallocates), so the count is capped; texts beyond it run unnamed. The store has a
 * few dozen shapes, plus one per row count of large INSERT batches.
 */
export const NAMED_STATEMENT_LIMIT = 256;

/** pg's query config form: with a `name`, pg parses the text once per connection and reuses the plan. */
interface NamedQuery {
  name: string;
  text: string;
  values: unknown[];
}

/** The names handed out so far, shared by every connection of one pool. */
export class StatementNames {
  readonly #names = new Map<string, string>();
  readonly #limit: number;

  constructor(limit = NAMED_STATEMENT_LIMIT) {
    this.#limit = limit;
  }

  /** How many texts have a name (for tests). */
  get size(): number {
    return this.#names.size;
  }

  /**
   * The name of `sql`, or `undefined` once the limit is reached. Names derive from a hash of the text, so
   * two stores on one pool (different table prefixes) can never give one name to two texts, which pg
   * rejects on a connection that has already parsed the first.
   */
  nameFor(sql: string): string | undefined {
    let name = this.#names.get(sql);
    if (name === undefined) {
      if (this.#names.size >= this.#limit) return undefined;
      name = `auth_store_${createHash('sha256').update(sql).digest('hex').slice(0, 32)}`;
      this.#names.set(sql, name);
    }
    return name;
  }
}

/**
 * A view of a pg pool whose clients run every parameterised query as a named prepared statement. Kysely's
 * Postgres driver sends each query as unnamed, so Postgres parses and plans it every time, and the extra
 * protocol messages cost the client too; with a name, pg sends the Parse once per connection. Queries
 * without parameters (`begin`, `commit`, DDL) keep pg's simple protocol, which is cheaper still.
 *
 * pg tracks which names each connection has parsed, so a name first used on another connection is parsed
 * there on first use. A failed Parse is forgotten by pg, so it is retried next time. Prepared statements
 * are session state and not rolled back with a transaction.
 *
 * Requires clients that accept pg's `{ name, text, values }` form (`pg.Pool` does), and a session per
 * client (not PgBouncer in transaction mode before 1.21 or without `max_prepared_statements`).
 */
export function namingPool(pool: PostgresPool, names: StatementNames = new StatementNames()): PostgresPool {
  // One view per pg client: Kysely keys its connection objects by client identity.
  const views = new WeakMap<PostgresPoolClient, PostgresPoolClient>();
  return {
    async connect() {
      const client = await pool.connect();
      let view = views.get(client);
      if (view === undefined) {
        view = namingClient(client, names);
        views.set(client, view);
      }
      return view;
    },
    end: () => pool.end(),
  };
}

function namingClient(client: PostgresPoolClient, names: StatementNames): PostgresPoolClient {
  const queryNamed = client.query as unknown as <R>(config: NamedQuery) => Promise<PostgresQueryResult<R>>;
  return {
    query: ((sqlOrCursor: unknown, parameters?: ReadonlyArray<unknown>) => {
      if (typeof sqlOrCursor === 'string' && parameters !== undefined && parameters.length > 0) {
        const name = names.nameFor(sqlOrCursor);
        if (name !== undefined) return queryNamed.call(client, { name, text: sqlOrCursor, values: parameters as unknown[] });
      }
      return (client.query as (...args: unknown[]) => unknown).call(client, sqlOrCursor, parameters);
    }) as PostgresPoolClient['query'],
    release: () => client.release(),
  };
}
