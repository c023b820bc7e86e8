/**
 * One provider replica for the multi-process tests: `createAuthServer` over a shared SQL store behind a
 * node:http server that hands `/oauth/*` to `auth.handle` and answers `GET /api/whoami` with
 * `auth.verify`. Configured by environment; prints `{"type":"ready","port":N}` when listening.
 *
 * With BUS_MODULE set, a second auth server instance on the same store (routes under `/bus/`) uses the
 * invalidation bus that module builds; the first (`/`) keeps the in-process bus. Stops by itself when
 * stdin closes or after CHILD_MAX_MS.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import {
  type AuthServer,
  type AuthStore,
  createAuthServer,
  type Duration,
  errorResponse,
  type InvalidationBus,
  type VerifierMethods,
} from '@auth/core';
import { postgresAuthStore, sqliteAuthStore } from '../../src/index.js';

const env = process.env;
setTimeout(() => process.exit(3), Number(env.CHILD_MAX_MS ?? 60_000)).unref();
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();

const store: AuthStore =
  env.STORE_KIND === 'sqlite'
    ? sqliteAuthStore({ filename: env.STORE_URL! })
    : postgresAuthStore({ connectionString: env.STORE_URL!, max: 5 });

const shared = {
  issuer: 'http://127.0.0.1',
  store,
  secrets: [env.AUTH_SECRET!],
  pepper: env.AUTH_PEPPER,
  accounts: { permissions: async () => ['read', 'write'] },
};
const cacheTtl = (env.CACHE_TTL ?? '30s') as Duration;
const methods: VerifierMethods = { apiKey: true, bearer: true, cache: { ttl: cacheTtl }, lastUsedFlushInterval: '1h' };
const local = createAuthServer({ ...shared, methods });
let bus: (InvalidationBus & { ready?: Promise<void> }) | undefined;
let withBus: AuthServer | undefined;
if (env.BUS_MODULE) {
  const { createBus } = (await import(env.BUS_MODULE)) as { createBus(env: NodeJS.ProcessEnv): InvalidationBus };
  bus = createBus(env);
  await bus.ready;
  withBus = createAuthServer({ ...shared, methods, invalidation: bus });
}

async function toWebRequest(req: IncomingMessage, url: string): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(url, {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
    duplex: 'half',
  } as RequestInit);
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let path = req.url ?? '/';
  let auth = local;
  if (path.startsWith('/bus/')) {
    if (!withBus) return json(res, 404, { error: 'no bus' });
    auth = withBus;
    path = path.slice(4);
  }
  if (path.startsWith('/oauth/')) {
    const response = await auth.handle(await toWebRequest(req, `http://127.0.0.1${path}`));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
    return;
  }
  if (path === '/api/whoami') {
    try {
      const principal = await auth.verify((name) => req.headers[name]);
      return json(res, 200, principal);
    } catch (err) {
      const { status, headers, body } = errorResponse(err);
      return json(res, status, body, headers);
    }
  }
  if (path.startsWith('/admin/revoke-key/') && req.method === 'POST') {
    const view = await auth.apiKeys.revoke(decodeURIComponent(path.slice('/admin/revoke-key/'.length)));
    return json(res, view ? 200 : 404, { revoked: view !== null });
  }
  json(res, 404, { error: 'not_found' });
}

const server = createServer((req, res) => {
  route(req, res).catch(() => {
    if (!res.headersSent) json(res, 500, { error: 'server_error' });
  });
});
server.listen(Number(env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ type: 'ready', pid: process.pid, port: (server.address() as AddressInfo).port })}\n`);
});
