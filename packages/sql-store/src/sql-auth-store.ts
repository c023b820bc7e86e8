import {
  type AuthStore,
  type ClientFilter,
  type ClientPatch,
  type ConsumeCodeResult,
  ConfigError,
  type CredentialFilter,
  type CredentialPatch,
  type Duration,
  type RotateRefreshForInput,
  type RotateRefreshInput,
  type RotateRefreshResult,
  type SuccessorToken,
  type TokenRecord,
  toMs,
} from '@auth/core';
import { CompiledQuery, type Kysely, type QueryCreator, sql, type Updateable } from 'kysely';
import { FixedQuery, type ParamOf } from './fixed-query.js';
import { createGroupCommit, ItemFailed } from './group-commit.js';
import { type MigrationReport, runMigrations } from './migrate.js';
import {
  fromClient,
  fromCode,
  fromCredential,
  fromToken,
  toClient,
  toCode,
  toCredential,
  toToken,
} from './row-mapping.js';
import { toStoreError } from './store-error.js';
import { isValidTablePrefix, TablePrefixPlugin } from './table-prefix-plugin.js';
import { type AuthDatabase, COLUMNS, type ClientRow, type CredentialRow, type SqlDialectName, type TokenRow } from './tables.js';

/** Options every SQL store accepts. */
export interface SqlAuthStoreOptions {
  /** Prefix of every table and index name: letters, digits and `_`. Default `auth_`. */
  tablePrefix?: string;
  /**
   * Run pending migrations before the first operation. Default `true`. Turn it off when migrations are a
   * deployment step (`await store.migrate()` from a release script) and the app's database role may not
   * run DDL.
   */
  autoMigrate?: boolean;
  /**
   * How long a rotated refresh token keeps its successor (marker or sealed response) before {@link AuthStore.deleteExpired}
   * clears it. The store is not told the grace window, so this must be at least your `refreshGrace`
   * (default 5 minutes): a successor cleared inside the grace turns a legitimate retry into reuse, which
   * revokes the family. Default `'1d'`.
   */
  successorRetention?: Duration;
}

/** {@link sqlAuthStore} options: a Kysely instance you built and the engine behind it. */
export interface SqlAuthStoreConfig<DB> extends SqlAuthStoreOptions {
  /**
   * Any Kysely instance over SQLite or Postgres. The store queries through a copy without your plugins
   * (a `CamelCasePlugin` would rename its columns) and with its own table-prefix plugin.
   */
  db: Kysely<DB>;
  dialect: SqlDialectName;
  /** Destroy `db` on {@link SqlAuthStore.close}. Default `false`: whoever built `db` owns it. */
  destroyOnClose?: boolean;
}

/** An {@link AuthStore} over SQL, with explicit control of migrations and connections. */
export interface SqlAuthStore extends AuthStore {
  readonly dialect: SqlDialectName;
  /** Apply pending schema migrations. Idempotent; safe to call from several processes at once. */
  migrate(): Promise<MigrationReport>;
  /** Release the connection pool or the SQLite handle (when the store owns it). */
  close(): Promise<void>;
}

/** Rows per INSERT: stays far below SQLite's 32,766 and Postgres' 65,535 bound parameters. */
const INSERT_CHUNK = 500;

/** Most rotations in one Postgres batch statement: one prepared text per count and kind (see `NAMED_STATEMENT_LIMIT`). */
const POSTGRES_ROTATION_BATCH = 16;

/**
 * Up to this many token rows insert through a {@link FixedQuery} per row count: a request saves 1-2, and the
 * group commit joins those of up to eight concurrent requests into one statement.
 */
const FIXED_INSERT_ROWS = 16;

/** Postgres types of the `tokens` columns, for the casts a rotation's `INSERT ... SELECT $n` needs. */
const TOKEN_COLUMN_TYPES = {
  hash: 'text',
  type: 'text',
  family_id: 'text',
  client_id: 'text',
  user_id: 'text',
  business_id: 'text',
  scopes: 'text',
  created_at: 'bigint',
  expires_at: 'bigint',
  revoked_at: 'bigint',
  rotated_at: 'bigint',
  successor: 'text',
} as const satisfies Record<keyof TokenRow, 'text' | 'bigint'>;

/** Columns a successor of `rotateRefreshTokenFor` copies from its parent (see `successorRecord` in the core). */
const INHERITED_COLUMNS: ReadonlySet<keyof TokenRow> = new Set(['family_id', 'client_id', 'user_id', 'business_id', 'scopes']);
/** The other columns, which each successor row of `rotateRefreshTokenFor` carries itself. */
const OWN_COLUMNS = COLUMNS.tokens.filter((column) => !INHERITED_COLUMNS.has(column));

/** One rotation as the store runs it, from either `rotateRefreshToken` or `rotateRefreshTokenFor`. */
interface Rotation {
  hash: string;
  now: number;
  successor: string;
  /** `rotateRefreshTokenFor`: only a token of this client rotates, and its successors inherit its columns. */
  clientId: string | null;
  /** The successor rows' own columns: all of them, or all but the {@link INHERITED_COLUMNS}. */
  own: readonly Partial<TokenRow>[];
  /** The successor rows in full, given the parent row the UPDATE returned. */
  rows(parent: TokenRow): TokenRow[];
}

/** `rotateRefreshToken`: the caller built the successor records. */
function givenRotation(input: RotateRefreshInput): Rotation {
  const rows = input.successorRecords.map(fromToken);
  return { hash: input.hash, now: input.now, successor: input.successor, clientId: null, own: rows, rows: () => rows };
}

/** `rotateRefreshTokenFor`: the successor rows take the parent's family, client, user, business and scopes. */
function inheritedRotation(input: RotateRefreshForInput): Rotation {
  const own = input.successors.map((s: SuccessorToken) => ({
    hash: s.hash,
    type: s.type,
    created_at: s.createdAt,
    expires_at: s.expiresAt,
    revoked_at: null,
    rotated_at: null,
    successor: null,
  }));
  return {
    hash: input.hash,
    now: input.now,
    successor: input.successor,
    clientId: input.clientId,
    own,
    // Every column written out, in table order: a spread would build each row with a shape of its own.
    rows: (parent) =>
      input.successors.map((s) => ({
        hash: s.hash,
        type: s.type,
        family_id: parent.family_id,
        client_id: parent.client_id,
        user_id: parent.user_id,
        business_id: parent.business_id,
        scopes: parent.scopes,
        created_at: s.createdAt,
        expires_at: s.expiresAt,
        revoked_at: null,
        rotated_at: null,
        successor: null,
      })),
  };
}

/**
 * The SQL {@link AuthStore} over a Kysely instance. {@link sqliteAuthStore} and {@link postgresAuthStore}
 * build the Kysely instance for you; use this when you already have one.
 *
 * Atomic operations hold across processes sharing one database: they are single conditional `UPDATE`s
 * (`... WHERE consumed_at IS NULL`, `... WHERE rotated_at IS NULL AND revoked_at IS NULL AND expires_at > now`)
 * whose affected rows decide the winner. On Postgres the rotation runs under READ COMMITTED, where a
 * concurrent `UPDATE` waits for the winner's row lock, re-checks its condition and then re-reads the
 * committed successor; under a stricter database default, the rotation the winner's commit aborts
 * (SQLSTATE 40001) is answered the same way. Driver errors surface as `StoreError`.
 *
 * @example
 * ```ts
 * import { Kysely, PostgresDialect } from 'kysely';
 * const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
 * const store = sqlAuthStore({ db, dialect: 'postgres', tablePrefix: 'auth_' });
 * await store.migrate();
 * ```
 */
export function sqlAuthStore<DB>(config: SqlAuthStoreConfig<DB>): SqlAuthStore {
  return buildSqlAuthStore(config, {});
}

/**
 * The SQLite handle behind the store's Kysely connection, run synchronously (better-sqlite3 is): only
 * while that connection is held (`db.connection().execute`), so no Kysely transaction is open in between.
 */
export interface SyncSqlite {
  /** Run `fn` in one transaction: `BEGIN`, `fn`, `COMMIT`; `ROLLBACK` and rethrow when it throws. */
  transaction<T>(fn: () => T): T;
  /** Run one compiled query: its rows (a query with RETURNING, or a SELECT), or `[]`. */
  query<R>(query: CompiledQuery<R>): R[];
}

/** Hooks of the stores this package builds around a driver it owns. */
export interface SqlAuthStoreHooks {
  /** Called after every successful migration run, e.g. to drop statements prepared against the old schema. */
  afterMigrate?: () => void;
  /** SQLite through better-sqlite3: the handle for batches that need no await between statements. */
  syncSqlite?: () => SyncSqlite;
}

/** {@link sqlAuthStore} with {@link SqlAuthStoreHooks}; not exported from the package. */
export function buildSqlAuthStore<DB>(config: SqlAuthStoreConfig<DB>, hooks: SqlAuthStoreHooks): SqlAuthStore {
  const tablePrefix = config.tablePrefix ?? 'auth_';
  if (!isValidTablePrefix(tablePrefix)) {
    throw new ConfigError('tablePrefix must be letters, digits and underscores (at most 32 characters)');
  }
  if (config.dialect !== 'sqlite' && config.dialect !== 'postgres') {
    throw new ConfigError("dialect must be 'sqlite' or 'postgres'");
  }
  const dialect = config.dialect;
  const successorRetentionMs = toMs(config.successorRetention ?? '1d');
  const autoMigrate = config.autoMigrate ?? true;
  const db = (config.db as unknown as Kysely<AuthDatabase>).withoutPlugins().withPlugin(new TablePrefixPlugin(tablePrefix));

  let migrated: Promise<MigrationReport> | undefined;
  /** Set once a migration run has succeeded: operations then skip the (already settled) await on it. */
  let schemaReady = false;
  const migrate = (): Promise<MigrationReport> => {
    migrated ??= runMigrations(db, dialect, tablePrefix).then(
      (report) => {
        schemaReady = true;
        hooks.afterMigrate?.();
        return report;
      },
      (err: unknown) => {
        // A failed attempt (database briefly down) must not poison every later call.
        migrated = undefined;
        throw err;
      },
    );
    return migrated;
  };

  /** Run one store operation: migrate first if asked to, and wrap whatever the driver throws. */
  async function run<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      if (autoMigrate && !schemaReady) await migrate();
      return await fn();
    } catch (err) {
      throw toStoreError(operation, err);
    }
  }

  /** Rotation must see the winner's commit: pin READ COMMITTED even if the database default is stricter. */
  const rotationTransaction = () =>
    dialect === 'postgres' ? db.transaction().setIsolationLevel('read committed') : db.transaction();

  // -- the hot queries, compiled once (see FixedQuery) -------------------------------------------------
  const selectClient = new FixedQuery<string, ClientRow>((param) =>
    db.selectFrom('clients').select(COLUMNS.clients).where('client_id', '=', param((clientId) => clientId)),
  );
  const selectCredentialByHash = new FixedQuery<string, CredentialRow>((param) =>
    db.selectFrom('credentials').select(COLUMNS.credentials).where('hash', '=', param((hash) => hash)),
  );
  const selectToken = new FixedQuery<string, TokenRow>((param) =>
    db.selectFrom('tokens').select(COLUMNS.tokens).where('hash', '=', param((hash) => hash)),
  );
  /**
   * The conditional UPDATE that makes a rotation win, returning the parent row; `forClient` adds the
   * client condition of {@link AuthStore.rotateRefreshTokenFor}. Written once: the transaction
   * (`rotateParent`) and Postgres' one-statement rotation (`rotateStatement`) both use it.
   */
  const winRotation = (qb: QueryCreator<AuthDatabase>, param: ParamOf<Rotation>, forClient: boolean) => {
    const update = qb
      .updateTable('tokens')
      .set({ rotated_at: param((a) => a.now), successor: param((a) => a.successor) })
      .where('hash', '=', param((a) => a.hash))
      .where('type', '=', 'refresh_token')
      .where('rotated_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', param((a) => a.now));
    return (forClient ? update.where('client_id', '=', param((a) => a.clientId)) : update).returning(COLUMNS.tokens);
  };
  const rotateParents = [false, true].map(
    (forClient) => new FixedQuery<Rotation, TokenRow>((param) => winRotation(db, param, forClient)),
  );
  const rotateParentQuery = (rotation: Rotation) => rotateParents[rotation.clientId === null ? 0 : 1]!;
  const rotateParent = (conn: Kysely<AuthDatabase>, rotation: Rotation) => rotateParentQuery(rotation).execute(conn, rotation);
  const touchCredential = new FixedQuery<{ id: string; at: number }, unknown>((param) =>
    db
      .updateTable('credentials')
      .set({ last_used_at: param((a) => a.at) })
      .where('id', '=', param((a) => a.id))
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', param((a) => a.at))])),
  );
  /** INSERT of `count` token rows, by row count (index `count - 1`). */
  const insertTokenRows = Array.from(
    { length: FIXED_INSERT_ROWS },
    (_, index) =>
      new FixedQuery<readonly TokenRow[], unknown>((param) =>
        db.insertInto('tokens').values(
          Array.from({ length: index + 1 }, (_, row) => {
            const values: Partial<Record<keyof TokenRow, unknown>> = {};
            for (const column of COLUMNS.tokens) values[column] = param((rows) => rows[row]![column]);
            return values as TokenRow;
          }),
        ),
      ),
  );

  async function insertTokens(conn: Kysely<AuthDatabase>, records: readonly TokenRecord[]): Promise<void> {
    await insertRows(conn, records.map(fromToken));
  }
  async function insertRows(conn: Kysely<AuthDatabase>, rows: readonly TokenRow[]): Promise<void> {
    if (rows.length === 0) return;
    if (rows.length <= FIXED_INSERT_ROWS) {
      await insertTokenRows[rows.length - 1]!.execute(conn, rows);
      return;
    }
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await conn
        .insertInto('tokens')
        .values(rows.slice(i, i + INSERT_CHUNK))
        .execute();
    }
  }

  /** Save one request's tokens on their own: a single INSERT is atomic; more rows than one holds, a transaction. */
  const saveOne = (records: readonly TokenRecord[]) =>
    records.length <= INSERT_CHUNK ? insertTokens(db, records) : db.transaction().execute((trx) => insertTokens(trx, records));
  // Concurrent requests' token inserts commit together, as one multi-row INSERT (atomic on its own, so no
  // BEGIN/COMMIT statements): SQLite pays per commit and per statement, Postgres per statement and round
  // trip. SQLite has one writer, so its batches go in turn (a batch waiting collects more rows); Postgres
  // batches go in parallel on the pool. A batch with a bad row fails whole and is retried request by request.
  const tokenWrites = createGroupCommit<readonly TokenRecord[]>(
    async (batches) => {
      await saveOne(batches.flat());
      return batches.map(() => undefined);
    },
    saveOne,
    { parallel: dialect === 'postgres' },
  );

  /** The conditional UPDATE that makes a rotation win, then its successor rows; the parent row or none. */
  async function rotateIn(trx: Kysely<AuthDatabase>, rotation: Rotation): Promise<TokenRow | undefined> {
    const [parent] = (await rotateParent(trx, rotation)).rows;
    if (parent) await insertRows(trx, rotation.rows(parent));
    return parent;
  }
  /**
   * Postgres: the whole rotation as one statement, so one round trip instead of four (BEGIN, UPDATE,
   * INSERT, COMMIT). The conditional UPDATE is a data-modifying CTE; the successor rows are selected
   * `FROM` its output, so they are inserted only when the UPDATE won (zero rows otherwise), and a failed
   * insert undoes the UPDATE with the statement. Under READ COMMITTED a concurrent rotation of the same
   * row waits for the winner's lock, re-checks `rotated_at IS NULL` and updates nothing. Inherited
   * successors (`rotateRefreshTokenFor`) take the parent's columns from the CTE's output.
   * One compiled query per successor count and kind (a rotation saves one to a few rows).
   */
  const rotateStatements = new Map<string, FixedQuery<{ rotation: Rotation; rows: readonly Partial<TokenRow>[] }, TokenRow>>();
  const rotateStatement = (count: number, inherit: boolean) => {
    const key = `${count}:${inherit}`;
    let query = rotateStatements.get(key);
    if (query === undefined) {
      query = new FixedQuery((param) => {
        const withParent = db.with('rotated_parent', (qb) =>
          winRotation(qb, (read) => param((a) => read(a.rotation)), inherit),
        );
        return withParent
          .with('successor_rows', (qb) => {
            const successorRow = (row: number) =>
              qb.selectFrom('rotated_parent').select((eb) =>
                COLUMNS.tokens.map((column) =>
                  inherit && INHERITED_COLUMNS.has(column)
                    ? eb.ref(`rotated_parent.${column}`).as(column)
                    : eb.cast(eb.val(param((a) => a.rows[row]![column])), TOKEN_COLUMN_TYPES[column]).as(column),
                ),
              );
            let successors = successorRow(0);
            for (let row = 1; row < count; row++) successors = successors.unionAll(successorRow(row));
            return qb.insertInto('tokens').columns(COLUMNS.tokens).expression(successors);
          })
          .selectFrom('rotated_parent')
          .select(COLUMNS.tokens);
      });
      rotateStatements.set(key, query);
    }
    return query;
  };
  async function rotateInOneStatement(rotation: Rotation): Promise<TokenRow | undefined> {
    const count = rotation.own.length;
    if (count === 0) return (await rotateParent(db, rotation)).rows[0];
    if (count > FIXED_INSERT_ROWS) return rotationTransaction().execute((trx) => rotateIn(trx, rotation));
    const query = rotateStatement(count, rotation.clientId !== null);
    const [parent] = (await query.execute(db, { rotation, rows: rotation.own })).rows;
    return parent;
  }

  /**
   * A SQLite batch of rotations with no await between its statements (see {@link SyncSqlite}), on the
   * store's own better-sqlite3 handle while the Kysely connection is held: the same statements as the
   * Kysely transaction below (successors 16 rows per `INSERT`), without a promise per statement (measured
   * on the token endpoint: a median 6% of a `refresh_token` grant's CPU, lower in ten same-run A/B rounds
   * out of ten).
   */
  function rotateBatchSync(sqlite: SyncSqlite, batch: readonly Rotation[]): (TokenRow | undefined)[] {
    return sqlite.transaction(() => {
      const won = batch.map((rotation) => sqlite.query(rotateParentQuery(rotation).compile(rotation))[0]);
      const successors = successorsOfWinners(batch, won);
      for (let i = 0; i < successors.length; i += FIXED_INSERT_ROWS) {
        const rows = successors.slice(i, i + FIXED_INSERT_ROWS);
        sqlite.query(insertTokenRows[rows.length - 1]!.compile(rows));
      }
      return won;
    });
  }

  /** The successor rows of the rotations of a batch that won (`won[i]`: the parent row rotation i updated). */
  function successorsOfWinners(batch: readonly Rotation[], won: readonly (TokenRow | undefined)[]): TokenRow[] {
    return batch.flatMap((rotation, i) => {
      const parent = won[i];
      return parent ? rotation.rows(parent) : [];
    });
  }

  // Rotations batch the same way on SQLite, in one transaction (synchronously when the store owns the
  // better-sqlite3 handle, through Kysely when it was handed a Kysely instance): the UPDATEs run one after
  // another, each still deciding its own winner under the write lock (a second redemption of one token in
  // the batch sees the first's update), then the winners' successor rows go in as multi-row INSERTs. A
  // loser's follow-up read comes after the commit; a failed batch is rolled back and retried rotation by
  // rotation.
  const rotations =
    dialect === 'sqlite'
      ? createGroupCommit<Rotation, TokenRow | undefined>(
          (batch) =>
            hooks.syncSqlite
              ? db.connection().execute(async () => rotateBatchSync(hooks.syncSqlite!(), batch))
              : db.transaction().execute(async (trx) => {
                  // One after another: each UPDATE must see the ones before it in the batch.
                  const won: (TokenRow | undefined)[] = [];
                  for (const rotation of batch) won.push((await rotateParent(trx, rotation)).rows[0]);
                  await insertRows(trx, successorsOfWinners(batch, won));
                  return won;
                }),
          (rotation) => db.transaction().execute((trx) => rotateIn(trx, rotation)),
        )
      : postgresRotations();

  /**
   * Postgres: concurrent rotations as one statement, one round trip for the batch (a round trip is most
   * of a rotation's client CPU: the socket write that wakes a backend). `UPDATE ... FROM` a `VALUES` list
   * of the rotations, each row still under its own conditions (the client's, for `rotateRefreshTokenFor`),
   * and the successor rows inserted only for the parents it returned. A batch that mixes the two kinds,
   * successor counts, or redeems one token twice (an `UPDATE ... FROM` would update that row once but
   * join both rotations' successors to it) runs rotation by rotation instead, each in one statement.
   */
  function postgresRotations() {
    const kindOf = (rotation: Rotation) => `${rotation.clientId !== null}:${rotation.own.length}`;
    return createGroupCommit<Rotation, TokenRow | undefined>(
      async (batch) => {
        const kind = kindOf(batch[0]!);
        const hashes = new Set(batch.map((r) => r.hash));
        const count = batch[0]!.own.length;
        if (hashes.size < batch.length || count === 0 || count > FIXED_INSERT_ROWS || batch.some((r) => kindOf(r) !== kind)) {
          // Each in its own statement, at the same time; one that fails fails alone (its own caller's error).
          const settled = await Promise.allSettled(batch.map((rotation) => rotateInOneStatement(rotation)));
          return settled.map((s) => (s.status === 'fulfilled' ? s.value : new ItemFailed(s.reason)));
        }
        const { rows } = await db.executeQuery<TokenRow>(rotationBatch(batch));
        const won = new Map(rows.map((row) => [row.hash, row]));
        return batch.map((rotation) => won.get(rotation.hash));
      },
      rotateInOneStatement,
      { parallel: true, maxBatch: POSTGRES_ROTATION_BATCH },
    );
  }

  /** The batch statement's SQL per rotation count and kind: the text is fixed, so pg keeps it prepared. */
  const rotationBatchSql = new Map<string, string>();
  function rotationBatch(batch: readonly Rotation[]): CompiledQuery<TokenRow> {
    const inherit = batch[0]!.clientId !== null;
    const perRotation = batch[0]!.own.length;
    const own = inherit ? OWN_COLUMNS : COLUMNS.tokens;
    const parameters: unknown[] = [];
    for (const rotation of batch) parameters.push(rotation.hash, rotation.clientId, rotation.now, rotation.successor);
    for (const rotation of batch) {
      for (const row of rotation.own) {
        parameters.push(rotation.hash);
        for (const column of own) parameters.push(row[column] ?? null);
      }
    }
    const key = `${batch.length}:${perRotation}:${inherit}`;
    let text = rotationBatchSql.get(key);
    if (text === undefined) {
      text = rotationBatchText(batch.length, perRotation, inherit);
      rotationBatchSql.set(key, text);
    }
    return CompiledQuery.raw(text, parameters) as CompiledQuery<TokenRow>;
  }
  /** The SQL of {@link rotationBatch}; parameters in its order: the rotations, then their successor rows. */
  function rotationBatchText(rotations: number, perRotation: number, inherit: boolean): string {
    const own = inherit ? OWN_COLUMNS : COLUMNS.tokens;
    let n = 0;
    const next = (type: 'text' | 'bigint') => `$${++n}::${type}`;
    const inputs = Array.from({ length: rotations }, () => `(${next('text')}, ${next('text')}, ${next('bigint')}, ${next('text')})`);
    const successors = Array.from(
      { length: rotations * perRotation },
      () => `(${next('text')}, ${own.map((column) => next(TOKEN_COLUMN_TYPES[column])).join(', ')})`,
    );
    const tokens = `"${tablePrefix}tokens"`;
    const quoted = (columns: readonly string[], alias = '') => columns.map((c) => `${alias}"${c}"`).join(', ');
    const selected = COLUMNS.tokens.map((c) => (inherit && INHERITED_COLUMNS.has(c) ? `p."${c}"` : `s."${c}"`)).join(', ');
    return (
      `with i(hash, client_id, now, successor) as (values ${inputs.join(', ')}), ` +
      `rotated_parent as (update ${tokens} t set "rotated_at" = i.now, "successor" = i.successor from i ` +
      `where t."hash" = i.hash and t."type" = 'refresh_token' and t."rotated_at" is null and t."revoked_at" is null ` +
      `and t."expires_at" > i.now${inherit ? ' and t."client_id" = i.client_id' : ''} returning ${quoted(COLUMNS.tokens, 't.')}), ` +
      `successor_rows as (insert into ${tokens} (${quoted(COLUMNS.tokens)}) select ${selected} ` +
      `from (values ${successors.join(', ')}) s(parent_hash, ${quoted(own)}) join rotated_parent p on p."hash" = s.parent_hash) ` +
      `select ${quoted(COLUMNS.tokens)} from rotated_parent`
    );
  }

  async function rotate(rotation: Rotation, graceMs: number): Promise<RotateRefreshResult> {
    const { hash, now } = rotation;
    // Postgres under a stricter default than READ COMMITTED aborts a rotation that waited on another's
    // row lock (40001) instead of re-checking the row: that rotation lost, as the read below shows.
    const won = await rotations.write(rotation).catch((err: unknown) => {
      if (dialect === 'postgres' && (err as { code?: unknown } | null)?.code === '40001') return undefined;
      throw err;
    });
    if (won) return { status: 'rotated', token: toToken(won) };

    // Lost or not rotatable. A fresh statement sees the winner's commit, successor included.
    const [row] = (await selectToken.execute(db, hash)).rows;
    if (!row) return { status: 'invalid', token: null };
    const token = toToken(row);
    if (token.type !== 'refresh_token' || token.revokedAt !== null) return { status: 'invalid', token };
    if (token.rotatedAt !== null) {
      if (now - token.rotatedAt <= graceMs && token.successor !== null) {
        return { status: 'replayed', token, successor: token.successor };
      }
      return { status: 'reused', token };
    }
    return { status: 'invalid', token };
  }

  return {
    dialect,
    async migrate() {
      try {
        return await migrate();
      } catch (err) {
        throw toStoreError('migrate', err);
      }
    },

    // -- credentials -------------------------------------------------------------------------------
    createCredential: (record) =>
      run('createCredential', async () => {
        await db.insertInto('credentials').values(fromCredential(record)).execute();
      }),
    findCredentialByHash: (hash) =>
      run('findCredentialByHash', async () => {
        const [row] = (await selectCredentialByHash.execute(db, hash)).rows;
        return row ? toCredential(row) : null;
      }),
    getCredential: (id) =>
      run('getCredential', async () => {
        const row = await db.selectFrom('credentials').select(COLUMNS.credentials).where('id', '=', id).executeTakeFirst();
        return row ? toCredential(row) : null;
      }),
    listCredentials: (filter: CredentialFilter) =>
      run('listCredentials', async () => {
        let q = db.selectFrom('credentials').select(COLUMNS.credentials);
        if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
        if (filter.userId !== undefined) q = q.where('user_id', '=', filter.userId);
        if (filter.businessId !== undefined) q = q.where('business_id', '=', filter.businessId);
        if (filter.clientId !== undefined) q = q.where('client_id', '=', filter.clientId);
        if (!filter.includeRevoked) q = q.where('revoked_at', 'is', null);
        const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
        return rows.map(toCredential);
      }),
    updateCredential: (id, patch: CredentialPatch) =>
      run('updateCredential', async () => {
        const set: Updateable<CredentialRow> = {};
        if (patch.name !== undefined) set.name = patch.name;
        if (patch.scopes !== undefined) set.scopes = JSON.stringify(patch.scopes);
        if (patch.expiresAt !== undefined) set.expires_at = patch.expiresAt;
        if (patch.revokedAt !== undefined) set.revoked_at = patch.revokedAt;
        const row =
          Object.keys(set).length === 0
            ? await db.selectFrom('credentials').select(COLUMNS.credentials).where('id', '=', id).executeTakeFirst()
            : await db.updateTable('credentials').set(set).where('id', '=', id).returning(COLUMNS.credentials).executeTakeFirst();
        return row ? toCredential(row) : null;
      }),
    touchCredentials: (lastUsed) =>
      run('touchCredentials', async () => {
        if (lastUsed.size === 0) return;
        if (dialect === 'postgres') {
          // One statement for the whole batch; the condition makes a late, older batch a no-op per row.
          await sql`update ${sql.table('credentials')} set last_used_at = v.t
            from unnest(${[...lastUsed.keys()]}::text[], ${[...lastUsed.values()]}::bigint[]) as v(id, t)
            where ${sql.ref('credentials.id')} = v.id
              and (${sql.ref('credentials.last_used_at')} is null or ${sql.ref('credentials.last_used_at')} < v.t)`.execute(
            db,
          );
          return;
        }
        const touchAll = async (conn: Kysely<AuthDatabase>) => {
          for (const [id, at] of lastUsed) await touchCredential.execute(conn, { id, at });
        };
        // One UPDATE is atomic by itself; a batch shares one transaction (one commit, one WAL sync).
        if (lastUsed.size === 1) await touchAll(db);
        else await db.transaction().execute(touchAll);
      }),

    // -- OAuth clients -----------------------------------------------------------------------------
    createClient: (record) =>
      run('createClient', async () => {
        await db.insertInto('clients').values(fromClient(record)).execute();
      }),
    getClient: (clientId) =>
      run('getClient', async () => {
        const [row] = (await selectClient.execute(db, clientId)).rows;
        return row ? toClient(row) : null;
      }),
    listClients: (filter: ClientFilter) =>
      run('listClients', async () => {
        let q = db.selectFrom('clients').select(COLUMNS.clients);
        if (filter.ownerUserId !== undefined) q = q.where('owner_user_id', '=', filter.ownerUserId);
        if (filter.businessId !== undefined) q = q.where('business_id', '=', filter.businessId);
        if (!filter.includeRevoked) q = q.where('revoked_at', 'is', null);
        const rows = await q.orderBy('created_at', 'desc').orderBy('client_id', 'desc').execute();
        return rows.map(toClient);
      }),
    updateClient: (clientId, patch: ClientPatch) =>
      run('updateClient', async () => {
        const set: Updateable<ClientRow> = {};
        if (patch.name !== undefined) set.name = patch.name;
        if (patch.redirectUris !== undefined) set.redirect_uris = JSON.stringify(patch.redirectUris);
        if (patch.grantTypes !== undefined) set.grant_types = JSON.stringify(patch.grantTypes);
        if (patch.scopes !== undefined) set.scopes = JSON.stringify(patch.scopes);
        if (patch.environment !== undefined) set.environment = patch.environment;
        if (patch.revokedAt !== undefined) set.revoked_at = patch.revokedAt;
        const row =
          Object.keys(set).length === 0
            ? await db.selectFrom('clients').select(COLUMNS.clients).where('client_id', '=', clientId).executeTakeFirst()
            : await db
                .updateTable('clients')
                .set(set)
                .where('client_id', '=', clientId)
                .returning(COLUMNS.clients)
                .executeTakeFirst();
        return row ? toClient(row) : null;
      }),

    // -- authorization codes -----------------------------------------------------------------------
    saveAuthorizationCode: (record) =>
      run('saveAuthorizationCode', async () => {
        await db.insertInto('authorization_codes').values(fromCode(record)).execute();
      }),
    consumeAuthorizationCode: (hash, now) =>
      run('consumeAuthorizationCode', async (): Promise<ConsumeCodeResult> => {
        const won = await db
          .updateTable('authorization_codes')
          .set({ consumed_at: now })
          .where('hash', '=', hash)
          .where('consumed_at', 'is', null)
          .returning(COLUMNS.authorization_codes)
          .executeTakeFirst();
        if (won) return { status: 'consumed', code: toCode(won) };
        const row = await db.selectFrom('authorization_codes').select(COLUMNS.authorization_codes).where('hash', '=', hash).executeTakeFirst();
        return row ? { status: 'reused', code: toCode(row) } : { status: 'not_found' };
      }),

    // -- tokens ------------------------------------------------------------------------------------
    saveTokens: (records) =>
      run('saveTokens', async () => {
        if (records.length === 0) return;
        await tokenWrites.write(records);
      }),
    findToken: (hash) =>
      run('findToken', async () => {
        const [row] = (await selectToken.execute(db, hash)).rows;
        return row ? toToken(row) : null;
      }),
    rotateRefreshToken: (input: RotateRefreshInput) =>
      run('rotateRefreshToken', () => rotate(givenRotation(input), input.graceMs)),
    rotateRefreshTokenFor: (input: RotateRefreshForInput) =>
      run('rotateRefreshTokenFor', () => rotate(inheritedRotation(input), input.graceMs)),
    revokeToken: (hash, now) =>
      run('revokeToken', async () => {
        const row = await db
          .updateTable('tokens')
          .set({ revoked_at: sql<number>`coalesce(revoked_at, ${now})` })
          .where('hash', '=', hash)
          .returning(COLUMNS.tokens)
          .executeTakeFirst();
        return row ? toToken(row) : null;
      }),
    revokeFamily: (familyId, now) =>
      run('revokeFamily', async () => {
        const result = await db
          .updateTable('tokens')
          .set({ revoked_at: now })
          .where('family_id', '=', familyId)
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        return Number(result.numUpdatedRows);
      }),

    // -- housekeeping ------------------------------------------------------------------------------
    deleteExpired: (now) =>
      run('deleteExpired', async () => {
        const codes = await db.deleteFrom('authorization_codes').where('expires_at', '<=', now).executeTakeFirst();
        const tokens = await db.deleteFrom('tokens').where('expires_at', '<=', now).executeTakeFirst();
        // A sealed successor holds live token values: drop successors once no replay can still be legitimate.
        await db
          .updateTable('tokens')
          .set({ successor: null })
          .where('successor', 'is not', null)
          .where('rotated_at', '<=', now - successorRetentionMs)
          .execute();
        return Number(codes.numDeletedRows) + Number(tokens.numDeletedRows);
      }),
    async close() {
      // Writes already acknowledged to nobody yet still commit (or fail) before the handle goes.
      await tokenWrites.drain();
      await rotations?.drain();
      if (config.destroyOnClose) await db.destroy();
    },
  };
}
