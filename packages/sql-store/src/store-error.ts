import { StoreError } from '@auth/core';

/** SQLSTATE / SQLite codes worth naming in a message; everything else is "failed". */
function reason(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
    return 'a record with this key already exists';
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code === '55P03') return 'the database is busy';
  if (code === '40001' || code === '40P01') return 'the transaction was aborted by a concurrent one';
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || code === '57P01') {
    return 'the database is unreachable';
  }
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return 'the database driver is not installed';
  return 'the database reported an error';
}

/**
 * Wrap a driver error in a {@link StoreError}. The message names the operation and a coarse reason only:
 * driver messages can quote SQL and key values, so they stay on `cause` for logs the operator controls.
 */
export function toStoreError(operation: string, err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  return new StoreError(`@auth/sql-store: ${operation} failed: ${reason(err)}`, { cause: err });
}
