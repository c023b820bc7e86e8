import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeHeaderAccessor, createAuthServer } from '@auth/core';
import { sqliteAuthStore } from '@auth/sql-store';
import { SECRET } from './lib/fixture.js';
const dir = mkdtempSync(join(tmpdir(), 'x-'));
const store = sqliteAuthStore({ filename: join(dir, 'auth.db') });
const auth = createAuthServer({ issuer: 'http://127.0.0.1', store, secrets: [SECRET],
  accounts: { authenticate: async (u, p) => (u === 'ada' && p === 'pw' ? { userId: 'u_1', businessId: 'b_1' } : null) },
  oauth: { grants: { password: true } } });
const { client, clientSecret } = await auth.clients.register({ name: 'b', type: 'confidential', redirectUris: [], grantTypes: ['client_credentials','password','refresh_token'], scopes: ['read'] });
const basic = `Basic ${Buffer.from(`${client.clientId}:${clientSecret}`).toString('base64')}`;
const headers = nodeHeaderAccessor({ headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' } });
const call = async (body: string) => { const a = await auth.oauth.serveBackChannel({ method: 'POST', pathname: '/oauth/token', headers, body }); if (a?.status !== 200) throw new Error(a?.body); return JSON.parse(a.body!); };
const C = 8;
const fam: string[] = [];
for (let i = 0; i < C; i++) fam.push((await call('grant_type=password&username=ada&password=pw&scope=read')).refresh_token);
async function measure(name: string, body: (i: number) => string, after?: (i: number, r: any) => void, n = 20000) {
  let done = 0; const c0 = process.cpuUsage(); const t0 = performance.now();
  await Promise.all(Array.from({ length: C }, async (_, w) => { while (done < n) { done++; const r = await call(body(w)); after?.(w, r); } }));
  const c = process.cpuUsage(c0); console.log(name, ((c.user + c.system) / n).toFixed(1), 'µs CPU/grant', Math.round(n / ((performance.now() - t0) / 1000)), '/s');
}
for (let k = 0; k < 1; k++) {

await measure('refresh', (w) => `grant_type=refresh_token&refresh_token=${fam[w]}`, (w, r) => { fam[w] = r.refresh_token; });
}
await auth.close(); await store.close();
