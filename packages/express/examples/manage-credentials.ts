import type { AddressInfo } from 'node:net';
import express from 'express';
import { authenticate, createAuthServer, managementRoutes, memoryAuthStore } from '@auth/express';

export async function main() {
  const auth = createAuthServer({
    issuer: 'http://127.0.0.1',
    store: memoryAuthStore(),
    secrets: [process.env.AUTH_SECRET ?? 'dev-only-secret-0123456789-abcdefghij'],
    cookies: { secure: false }, // plain http on loopback only
    methods: { apiKey: true, bearer: true, cookie: true },
  });

  const app = express();
  app.use(express.json()); // optional
  app.use(managementRoutes(auth)); // /account/api-keys, /account/personal-tokens, /account/secrets, /account/apps
  app.get('/me', authenticate(auth), (req, res) => {
    res.json({ userId: req.auth!.userId, method: req.auth!.method });
  });

  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Your login issues the session cookie (or the authorization server's built-in login page does).
  const session = auth.sessions.issue({ userId: 'u_ada', businessId: 'b_1', scopes: ['read'] });
  const browser = { cookie: `${auth.sessions.name}=${session.value}`, 'x-csrf-token': session.csrfToken };

  const created = await fetch(`${base}/account/personal-tokens`, {
    method: 'POST',
    headers: { ...browser, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'CLI', scopes: ['read'], expiresIn: '90d' }),
  });
  const { secret, credential } = (await created.json()) as { secret: string; credential: { id: string } };
  const results = {
    created: created.status, // 201: the secret is shown once
    me: await (await fetch(`${base}/me`, { headers: { authorization: `Bearer ${secret}` } })).json(),
    listed: ((await (await fetch(`${base}/account/personal-tokens`, { headers: browser })).json()) as { items: unknown[] }).items.length,
    revoked: (await fetch(`${base}/account/personal-tokens/${credential.id}`, { method: 'DELETE', headers: browser })).status, // 200
    afterRevoke: (await fetch(`${base}/me`, { headers: { authorization: `Bearer ${secret}` } })).status, // 401
  };
  server.close();
  await auth.close();
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await main());
