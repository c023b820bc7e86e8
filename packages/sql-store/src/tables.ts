/**
 * Row shapes of the store's tables, as Kysely sees them. Table names here are logical: the
 * {@link TablePrefixPlugin} adds the configured prefix (`auth_` by default) to every table at query time.
 *
 * Times are epoch milliseconds (`BIGINT` on Postgres, `INTEGER` on SQLite). String arrays are JSON text.
 *
 * @module
 */

/** Epoch milliseconds. pg may hand `BIGINT` back as a string when the pool was not created by this package. */
export type EpochColumn = number | string;

/** `credentials` table: API keys, personal tokens, `Secret`s, client secrets. */
export interface CredentialRow {
  id: string;
  kind: string;
  hash: string;
  hint: string;
  user_id: string | null;
  business_id: string | null;
  client_id: string | null;
  name: string;
  /** JSON array of strings. */
  scopes: string;
  created_at: EpochColumn;
  expires_at: EpochColumn | null;
  revoked_at: EpochColumn | null;
  last_used_at: EpochColumn | null;
}

/** `clients` table: registered OAuth clients. */
export interface ClientRow {
  client_id: string;
  name: string;
  type: string;
  /** JSON array of strings. */
  redirect_uris: string;
  /** JSON array of strings. */
  grant_types: string;
  /** JSON array of strings. */
  scopes: string;
  token_endpoint_auth_method: string;
  environment: string | null;
  owner_user_id: string | null;
  business_id: string | null;
  created_at: EpochColumn;
  revoked_at: EpochColumn | null;
}

/** `authorization_codes` table. */
export interface AuthorizationCodeRow {
  hash: string;
  client_id: string;
  user_id: string;
  business_id: string | null;
  redirect_uri: string;
  /** JSON array of strings. */
  scopes: string;
  code_challenge: string | null;
  code_challenge_method: string | null;
  family_id: string;
  created_at: EpochColumn;
  expires_at: EpochColumn;
  consumed_at: EpochColumn | null;
}

/** `tokens` table: OAuth access and refresh tokens. */
export interface TokenRow {
  hash: string;
  type: string;
  family_id: string;
  client_id: string;
  user_id: string | null;
  business_id: string | null;
  /** JSON array of strings. */
  scopes: string;
  created_at: EpochColumn;
  expires_at: EpochColumn;
  revoked_at: EpochColumn | null;
  rotated_at: EpochColumn | null;
  successor: string | null;
}

/** `migrations` table: one row per applied schema version. */
export interface MigrationRow {
  version: number;
  name: string;
  applied_at: EpochColumn;
}

/** Every table of the store, by logical (unprefixed) name. */
export interface AuthDatabase {
  credentials: CredentialRow;
  clients: ClientRow;
  authorization_codes: AuthorizationCodeRow;
  tokens: TokenRow;
  migrations: MigrationRow;
}

/** Column names of a row type; the `Record` makes the compiler check the list is complete. */
const columnsOf = <Row>(columns: Record<keyof Row & string, true>): (keyof Row & string)[] =>
  Object.keys(columns) as (keyof Row & string)[];

/**
 * Every column of every record table, for explicit select and returning lists. The store names its
 * columns instead of `*` so the shape of a result never depends on the live schema: a Postgres prepared
 * statement over `*` fails ("cached plan must not change result type") once a later migration adds a
 * column, and older processes of a rolling deploy keep running against the newer schema.
 */
export const COLUMNS = {
  credentials: columnsOf<CredentialRow>({
    id: true,
    kind: true,
    hash: true,
    hint: true,
    user_id: true,
    business_id: true,
    client_id: true,
    name: true,
    scopes: true,
    created_at: true,
    expires_at: true,
    revoked_at: true,
    last_used_at: true,
  }),
  clients: columnsOf<ClientRow>({
    client_id: true,
    name: true,
    type: true,
    redirect_uris: true,
    grant_types: true,
    scopes: true,
    token_endpoint_auth_method: true,
    environment: true,
    owner_user_id: true,
    business_id: true,
    created_at: true,
    revoked_at: true,
  }),
  authorization_codes: columnsOf<AuthorizationCodeRow>({
    hash: true,
    client_id: true,
    user_id: true,
    business_id: true,
    redirect_uri: true,
    scopes: true,
    code_challenge: true,
    code_challenge_method: true,
    family_id: true,
    created_at: true,
    expires_at: true,
    consumed_at: true,
  }),
  tokens: columnsOf<TokenRow>({
    hash: true,
    type: true,
    family_id: true,
    client_id: true,
    user_id: true,
    business_id: true,
    scopes: true,
    created_at: true,
    expires_at: true,
    revoked_at: true,
    rotated_at: true,
    successor: true,
  }),
} as const;

/** The SQL engines this package speaks. */
export type SqlDialectName = 'sqlite' | 'postgres';
