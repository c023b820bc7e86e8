import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';

/** A placeholder compiled into a {@link FixedQuery}: it reads the call's value from the arguments. */
class Param<A> {
  readonly read: (args: A) => unknown;
  constructor(read: (args: A) => unknown) {
    this.read = read;
  }
}

/** Marks a parameter of a {@link FixedQuery}: `param((args) => args.hash)` where a value would go. */
export type ParamOf<A> = <T>(read: (args: A) => T) => T;

/**
 * A query whose SQL never changes between calls, only its parameters: built and compiled (plugins
 * included, so the table prefix too) on first use, then executed with each call's values. Building and
 * compiling a Kysely query costs about as much CPU as SQLite running it, and the hot lookups run on
 * every token request.
 *
 * Parameters are placeholders that read from the call's arguments, so their position in the SQL does not
 * matter. Constants written into the builder (`.where('type', '=', 'refresh_token')`) stay as compiled.
 * Only for queries whose shape cannot depend on the values: a `null` compared with `=` or a skipped
 * `undefined` column would change the SQL, and a placeholder cannot.
 *
 * @example
 * ```ts
 * const byHash = new FixedQuery<{ hash: string }, TokenRow>((param) =>
 *   db.selectFrom('tokens').selectAll().where('hash', '=', param((a) => a.hash)),
 * );
 * const { rows } = await byHash.execute(db, { hash });
 * ```
 */
export class FixedQuery<A, R> {
  readonly #build: (param: ParamOf<A>) => Compilable<R>;
  #compiled: CompiledQuery<R> | undefined;

  constructor(build: (param: ParamOf<A>) => Compilable<R>) {
    this.#build = build;
  }

  /**
   * Run on `conn` (the store's Kysely instance or a transaction of it: both compile to the same SQL).
   * The compiled form is kept by the instance, so one instance serves one store.
   */
  execute(conn: Pick<Kysely<unknown>, 'executeQuery'>, args: A): Promise<QueryResult<R>> {
    return conn.executeQuery<R>(this.compile(args));
  }

  /** The compiled query with this call's parameters, to run elsewhere (see `SyncSqlite`). */
  compile(args: A): CompiledQuery<R> {
    this.#compiled ??= this.#build(<T>(read: (a: A) => T) => new Param<A>(read) as unknown as T).compile();
    const compiled = this.#compiled;
    const parameters = compiled.parameters.map((value) => (value instanceof Param ? value.read(args) : value));
    return { ...compiled, parameters };
  }
}
