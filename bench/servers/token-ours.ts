/**
 * Our authorization server (Fastify + @auth/fastify `authorizationServer: true`) on a SQL store, for the
 * token-endpoint benchmark. argv: `sqlite` or `postgres <connection string>`.
 * Prints the client's Basic credentials and one refresh token per load connection (each connection then
 * rotates its own family).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fastifyAuth, { createAuthServer } from '@auth/fastify';
import { postgresAuthStore, sqliteAuthStore } from '@auth/sql-store';
import Fastify from 'fastify';
import { CPU_PATH, cpuBody, ready } from '../lib/child.js';
import { SECRET } from '../lib/fixture.js';

const [kind = 'sqlite', url] = process.argv.slice(2);
const families = Number(process.env.BENCH_FAMILIES ?? 16);
const dir = mkdtempSync(join(tmpdir(), 'auth-bench-token-'));
const store = kind === 'postgres' ? postgresAuthStore({ connectionString: url!, max: 10 }) : sqliteAuthStore({ filename: join(dir, 'auth.db') });

const app = Fastify({ logger: false });
app.get(CPU_PATH, async () => cpuBody());
// The issuer names the server in metadata and tokens; the endpoints match on path, so the port can come later.
const issuer = 'http://127.0.0.1';
const auth = createAuthServer({
  issuer,
  store,
  secrets: [SECRET],
  accounts: { authenticate: async (u, p) => (u === 'ada' && p === 'pw' ? { userId: 'u_1', businessId: 'b_1' } : null) },
  oauth: { grants: { password: true } },
});
await app.register(fastifyAuth, { auth, authorizationServer: true, protectAllRoutes: false });
const address = await app.listen({ port: 0, host: '127.0.0.1' });

const { client, clientSecret } = await auth.clients.register({
  name: 'bench',
  type: 'confidential',
  redirectUris: [],
  grantTypes: ['client_credentials', 'password', 'refresh_token'],
  scopes: ['read'],
});
const basic = `Basic ${Buffer.from(`${client.clientId}:${clientSecret}`).toString('base64')}`;
const refreshTokens: string[] = [];
for (let i = 0; i < families; i++) {
  const res = await app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'grant_type=password&username=ada&password=pw&scope=read',
  });
  refreshTokens.push((res.json() as { refresh_token: string }).refresh_token);
}
ready({ port: Number(new URL(address).port), basic, refreshTokens, path: '/oauth/token' }, async () => {
  await app.close();
  await auth.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});
