import path from 'node:path';
import { postgresAuthStore, type SqlAuthStore, sqliteAuthStore } from '@auth/sql-store';

/**
 * The provider's store: Postgres when DATABASE_URL is set, else the SQLite file `${dataDir}/provider.db`
 * (the embedded default, WAL mode, shared by the demo processes).
 */
export function openSharedStore(options: { dataDir: string; databaseUrl?: string | undefined }): SqlAuthStore {
  if (options.databaseUrl) return postgresAuthStore({ connectionString: options.databaseUrl });
  return sqliteAuthStore({ filename: path.join(options.dataDir, 'provider.db') });
}
