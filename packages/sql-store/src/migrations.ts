import { type Kysely, sql } from 'kysely';
import type { AuthDatabase } from './tables.js';

/** One schema version. `up` runs inside the migration transaction, with table names already prefixed. */
export interface Migration {
  /** Strictly increasing, never reused. */
  version: number;
  name: string;
  up(db: Kysely<AuthDatabase>, context: { tablePrefix: string }): Promise<void>;
}

/**
 * Every schema version, oldest first. Append new versions; never edit one that has shipped, because
 * databases that already applied it will not run it again.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    async up(db, { tablePrefix: p }) {
      await db.schema
        .createTable('credentials')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull().unique())
        .addColumn('hint', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text')
        .addColumn('business_id', 'text')
        .addColumn('client_id', 'text')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint')
        .addColumn('revoked_at', 'bigint')
        .addColumn('last_used_at', 'bigint')
        .execute();
      // One index per filter of listCredentials, each ending in created_at for the newest-first order.
      await db.schema.createIndex(`${p}credentials_user_idx`).on('credentials').columns(['user_id', 'created_at']).execute();
      await db.schema
        .createIndex(`${p}credentials_business_idx`)
        .on('credentials')
        .columns(['business_id', 'created_at'])
        .execute();
      await db.schema
        .createIndex(`${p}credentials_client_idx`)
        .on('credentials')
        .columns(['client_id', 'created_at'])
        .execute();
      await db.schema.createIndex(`${p}credentials_kind_idx`).on('credentials').columns(['kind', 'created_at']).execute();

      await db.schema
        .createTable('clients')
        .addColumn('client_id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('redirect_uris', 'text', (c) => c.notNull())
        .addColumn('grant_types', 'text', (c) => c.notNull())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('token_endpoint_auth_method', 'text', (c) => c.notNull())
        .addColumn('environment', 'text')
        .addColumn('owner_user_id', 'text')
        .addColumn('business_id', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .execute();
      await db.schema.createIndex(`${p}clients_owner_idx`).on('clients').columns(['owner_user_id', 'created_at']).execute();
      await db.schema.createIndex(`${p}clients_business_idx`).on('clients').columns(['business_id', 'created_at']).execute();
      await db.schema.createIndex(`${p}clients_created_idx`).on('clients').column('created_at').execute();

      await db.schema
        .createTable('authorization_codes')
        .addColumn('hash', 'text', (c) => c.primaryKey())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('business_id', 'text')
        .addColumn('redirect_uri', 'text', (c) => c.notNull())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('code_challenge', 'text')
        .addColumn('code_challenge_method', 'text')
        .addColumn('family_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('consumed_at', 'bigint')
        .execute();
      await db.schema.createIndex(`${p}authorization_codes_expires_idx`).on('authorization_codes').column('expires_at').execute();

      await db.schema
        .createTable('tokens')
        .addColumn('hash', 'text', (c) => c.primaryKey())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('family_id', 'text', (c) => c.notNull())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text')
        .addColumn('business_id', 'text')
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .addColumn('rotated_at', 'bigint')
        .addColumn('successor', 'text')
        .execute();
      await db.schema.createIndex(`${p}tokens_family_idx`).on('tokens').column('family_id').execute();
      await db.schema.createIndex(`${p}tokens_expires_idx`).on('tokens').column('expires_at').execute();
      // Only rows still holding a successor matter to deleteExpired's clean-up.
      await db.schema
        .createIndex(`${p}tokens_successor_idx`)
        .on('tokens')
        .column('rotated_at')
        .where(sql.ref('successor'), 'is not', null)
        .execute();
    },
  },
];
