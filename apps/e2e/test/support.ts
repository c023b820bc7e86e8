/**
 * Helpers for the demo-system e2e: free ports, `next build`, the cli as a process, a read-only look at
 * the provider's SQLite store, and a bounded wait.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `node <args>` with a hard timeout; never throws. */
export function runNode(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (err) => (stderr += String(err)));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `next build --webpack` of apps/next-client (CI=1: never installs anything). */
export function buildNextClient(): Promise<ProcessResult> {
  const app = path.join(ROOT, 'apps/next-client');
  const next = createRequire(path.join(app, 'package.json')).resolve('next/dist/bin/next');
  return runNode([next, 'build', '--webpack'], {
    cwd: app,
    env: { ...process.env, CI: '1', NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
    timeoutMs: 240_000,
  });
}

/** The cli as a user runs it: `node --conditions=@auth/source --import tsx apps/cli/src/cli.ts ...`. */
export function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<ProcessResult> {
  return runNode(['--conditions=@auth/source', '--import', 'tsx', path.join(ROOT, 'apps/cli/src/cli.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    timeoutMs: 60_000,
  });
}

interface TokenRow {
  type: string;
  family_id: string;
  rotated_at: number | null;
  revoked_at: number | null;
}

/**
 * The provider's refresh tokens for one client, read-only from the shared SQLite file (the same table the
 * provider's `@auth/sql-store` writes; WAL mode lets another process read while it runs).
 */
export function refreshTokensOf(dbFile: string, clientId: string): TokenRow[] {
  // better-sqlite3 is a dependency of @auth/sql-store; resolve it from there.
  const Database = createRequire(path.join(ROOT, 'packages/sql-store/package.json'))('better-sqlite3') as new (
    file: string,
    options: { readonly: boolean; fileMustExist: boolean },
  ) => { prepare(sql: string): { all(...params: unknown[]): unknown[] }; close(): void };
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare("SELECT type, family_id, rotated_at, revoked_at FROM auth_tokens WHERE client_id = ? AND type = 'refresh_token' ORDER BY created_at")
      .all(clientId) as TokenRow[];
  } finally {
    db.close();
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
