import type { AddressInfo } from 'node:net';
import express from 'express';
import { authenticate, authErrorHandler, createAuthServer, memoryAuthStore } from '@auth/express';

export async function main() {
  const auth = createAuthServer({
    issuer: 'http://127.0.0.1',
    store: memoryAuthStore(),
    secrets: [process.env.AUTH_SECRET ?? 'dev-only-secret-0123456789-abcdefghij'],
    methods: { apiKey: true, bearer: true, secret: true },
  });
  const pat = await auth.personalTokens.create({ name: 'demo', userId: 'u_1', businessId: 'b_1', scopes: ['read'] });

  const app = express();
  app.get('/health', (_req, res) => {
    res.json({ ok: true }); // public: no authenticate()
  });
  app.get('/me', authenticate(auth), (req, res) => {
    res.json({ userId: req.auth!.userId, method: req.auth!.method });
  });
  app.post('/items', authenticate(auth, { scopes: ['write'] }), (_req, res) => {
    res.status(201).json({ created: true });
  });
  app.use(authErrorHandler());

  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const headers = { authorization: `Bearer ${pat.secret}` };
  const results = {
    health: (await fetch(`${base}/health`)).status, // 200
    me: await (await fetch(`${base}/me`, { headers })).json(), // { userId: 'u_1', method: 'personal_token' }
    anonymous: (await fetch(`${base}/me`)).status, // 401, WWW-Authenticate: Bearer
    write: (await fetch(`${base}/items`, { method: 'POST', headers })).status, // 403 insufficient_scope
  };
  server.close();
  await auth.close();
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await main());
