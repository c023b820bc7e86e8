/**
 * The provider's own tables (accounts, consents, campaigns), in the same database as the auth store: the
 * SQLite file by default, Postgres when DATABASE_URL is set. Plain SQL through the driver: three small
 * tables do not need a query builder.
 *
 * @module
 */

/** A user of the provider (the demo user and any other seeded account). */
export interface Account {
  userId: string;
  username: string;
  displayName: string;
  businessId: string;
  passwordHash: string;
  scopes: string[];
  disabled: boolean;
}

/** A campaign, the demo API's resource (seeds 001 and 000 talk about campaigns). */
export interface Campaign {
  id: string;
  businessId: string;
  name: string;
  createdAt: number;
}

type Row = Record<string, unknown>;

interface Sql {
  all(sql: string, params?: unknown[]): Promise<Row[]>;
  run(sql: string, params?: unknown[]): Promise<void>;
  close(): Promise<void>;
}

/** The app's data access. */
export interface AppDb {
  getAccountByUsername(username: string): Promise<Account | null>;
  getAccount(userId: string): Promise<Account | null>;
  upsertAccount(account: Account): Promise<void>;
  /** The scopes this user already granted this client (empty when none). */
  consentedScopes(userId: string, clientId: string): Promise<string[]>;
  recordConsent(userId: string, clientId: string, scopes: readonly string[]): Promise<void>;
  listCampaigns(businessId: string): Promise<Campaign[]>;
  createCampaign(campaign: Campaign): Promise<void>;
  close(): Promise<void>;
}

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS app_accounts (
     user_id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL,
     business_id TEXT NOT NULL, password_hash TEXT NOT NULL, scopes TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0)`,
  `CREATE TABLE IF NOT EXISTS app_consents (
     user_id TEXT NOT NULL, client_id TEXT NOT NULL, scopes TEXT NOT NULL, updated_at BIGINT NOT NULL,
     PRIMARY KEY (user_id, client_id))`,
  `CREATE TABLE IF NOT EXISTS app_campaigns (
     id TEXT PRIMARY KEY, business_id TEXT NOT NULL, name TEXT NOT NULL, created_at BIGINT NOT NULL)`,
  'CREATE INDEX IF NOT EXISTS app_campaigns_business ON app_campaigns (business_id, created_at)',
];

async function sqliteSql(filename: string): Promise<Sql> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(filename);
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  return {
    async all(sql, params = []) {
      return db.prepare(sql).all(...params) as Row[];
    },
    async run(sql, params = []) {
      db.prepare(sql).run(...params);
    },
    async close() {
      db.close();
    },
  };
}

async function postgresSql(connectionString: string): Promise<Sql> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString, max: 4 });
  // `?` placeholders in, `$n` out: the statements here never contain a literal `?`.
  const numbered = (sql: string) => {
    let i = 0;
    return sql.replace(/\?/g, () => `$${++i}`);
  };
  return {
    async all(sql, params = []) {
      return (await pool.query(numbered(sql), params)).rows as Row[];
    },
    async run(sql, params = []) {
      await pool.query(numbered(sql), params);
    },
    async close() {
      await pool.end();
    },
  };
}

function toAccount(row: Row | undefined): Account | null {
  if (!row) return null;
  return {
    userId: String(row.user_id),
    username: String(row.username),
    displayName: String(row.display_name),
    businessId: String(row.business_id),
    passwordHash: String(row.password_hash),
    scopes: String(row.scopes).split(' ').filter(Boolean),
    disabled: Number(row.disabled) !== 0,
  };
}

/** Open the app's tables next to the auth store (created if missing). */
export async function openAppDb(options: { sqliteFile: string } | { databaseUrl: string }): Promise<AppDb> {
  const sql = 'databaseUrl' in options ? await postgresSql(options.databaseUrl) : await sqliteSql(options.sqliteFile);
  for (const statement of SCHEMA) await sql.run(statement);
  const consentedScopes = async (userId: string, clientId: string) => {
    const row = (await sql.all('SELECT scopes FROM app_consents WHERE user_id = ? AND client_id = ?', [userId, clientId]))[0];
    return row ? String(row.scopes).split(' ').filter(Boolean) : [];
  };
  return {
    async getAccountByUsername(username) {
      return toAccount((await sql.all('SELECT * FROM app_accounts WHERE username = ?', [username.trim().toLowerCase()]))[0]);
    },
    async getAccount(userId) {
      return toAccount((await sql.all('SELECT * FROM app_accounts WHERE user_id = ?', [userId]))[0]);
    },
    async upsertAccount(a) {
      await sql.run(
        `INSERT INTO app_accounts (user_id, username, display_name, business_id, password_hash, scopes, disabled)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET username = excluded.username, display_name = excluded.display_name,
           business_id = excluded.business_id, password_hash = excluded.password_hash, scopes = excluded.scopes,
           disabled = excluded.disabled`,
        [a.userId, a.username.toLowerCase(), a.displayName, a.businessId, a.passwordHash, a.scopes.join(' '), a.disabled ? 1 : 0],
      );
    },
    consentedScopes,
    async recordConsent(userId, clientId, scopes) {
      const merged = [...new Set([...(await consentedScopes(userId, clientId)), ...scopes])].sort();
      await sql.run(
        `INSERT INTO app_consents (user_id, client_id, scopes, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (user_id, client_id) DO UPDATE SET scopes = excluded.scopes, updated_at = excluded.updated_at`,
        [userId, clientId, merged.join(' '), Date.now()],
      );
    },
    async listCampaigns(businessId) {
      const rows = await sql.all('SELECT * FROM app_campaigns WHERE business_id = ? ORDER BY created_at, id', [businessId]);
      return rows.map((r) => ({ id: String(r.id), businessId: String(r.business_id), name: String(r.name), createdAt: Number(r.created_at) }));
    },
    async createCampaign(c) {
      await sql.run('INSERT INTO app_campaigns (id, business_id, name, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING', [
        c.id,
        c.businessId,
        c.name,
        c.createdAt,
      ]);
    },
    close: () => sql.close(),
  };
}
