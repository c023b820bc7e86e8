/**
 * Our authorization server on a SQL store, for the token-endpoint benchmark: Fastify + @auth/fastify
 * (`authorizationServer: true`), or with `--http=node` plain `node:http` calling `oauth.serveBackChannel`
 * as the core docs show (the same HTTP stack oidc-provider runs on, without a framework's router and hooks).
 * argv: `sqlite` or `postgres <connection string>`, then optionally `--http=node`.
 * Prints the client's Basic credentials and one refresh token per load connection (each connection then
 * rotates its own family).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeHeaderAccessor } from '@auth/core';
import fastifyAuth, { createAuthServer } from '@auth/fastify';
import { postgresAuthStore, sqliteAuthStore } from '@auth/sql-store';
import Fastify from 'fastify';
import { CPU_PATH, cpuBody, FAMILIES_PATH, familiesCount, ready } from '../lib/child.js';
import { SECRET } from '../lib/fixture.js';

const argv = process.argv.slice(2);
const http = argv.includes('--http=node') ? 'node' : 'fastify';
const [kind = 'sqlite', url] = argv.filter((a) => !a.startsWith('--'));
const families = Number(process.env.BENCH_FAMILIES ?? 16);
const dir = mkdtempSync(join(tmpdir(), 'auth-bench-token-'));
const store = kind === 'postgres' ? postgresAuthStore({ connectionString: url!, max: 10 }) : sqliteAuthStore({ filename: join(dir, 'auth.db') });

// The issuer names the server in metadata and tokens; the endpoints match on path, so the port can come later.
const issuer = 'http://127.0.0.1';
const auth = createAuthServer({
  issuer,
  store,
  secrets: [SECRET],
  accounts: { authenticate: async (u, p) => (u === 'ada' && p === 'pw' ? { userId: 'u_1', businessId: 'b_1' } : null) },
  oauth: { grants: { password: true } },
});

let port: number;
let close: () => Promise<void>;
if (http === 'node') {
  // The docs' example (packages/core/docs/authorization-server.md), plus the bench's CPU probe.
  const server = createServer(async (req, res) => {
    const pathname = (req.url ?? '/').split('?', 1)[0]!;
    if (pathname === CPU_PATH) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(cpuBody()));
      return;
    }
    if (pathname === FAMILIES_PATH) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(await mintFamilies(familiesCount(req.url))));
      return;
    }
    const answer = await auth.oauth.serveBackChannel({ method: req.method!, pathname, headers: nodeHeaderAccessor(req), body: req });
    if (answer) res.writeHead(answer.status, answer.headers).end(answer.body ?? undefined);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  close = () => new Promise((resolve) => server.close(() => resolve()));
} else {
  const app = Fastify({ logger: false });
  app.get(CPU_PATH, async () => cpuBody());
  app.post(FAMILIES_PATH, async (request) => mintFamilies(familiesCount(request.url)));
  await app.register(fastifyAuth, { auth, authorizationServer: true, protectAllRoutes: false });
  port = Number(new URL(await app.listen({ port: 0, host: '127.0.0.1' })).port);
  close = () => app.close();
}

const { client, clientSecret } = await auth.clients.register({
  name: 'bench',
  type: 'confidential',
  redirectUris: [],
  grantTypes: ['client_credentials', 'password', 'refresh_token'],
  scopes: ['read'],
});
const basic = `Basic ${Buffer.from(`${client.clientId}:${clientSecret}`).toString('base64')}`;
/** Heads of new token families, from the password grant. */
async function mintFamilies(count: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const answer = await auth.oauth.serveBackChannel({
      method: 'POST',
      pathname: '/oauth/token',
      headers: nodeHeaderAccessor({ headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' } }),
      body: 'grant_type=password&username=ada&password=pw&scope=read',
    });
    if (answer?.status !== 200) throw new Error(`password grant failed: ${answer?.status} ${answer?.body}`);
    tokens.push((JSON.parse(answer.body!) as { refresh_token: string }).refresh_token);
  }
  return tokens;
}
const refreshTokens = await mintFamilies(families);
ready({ port, basic, refreshTokens, path: '/oauth/token' }, async () => {
  await close();
  await auth.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});
