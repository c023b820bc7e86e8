import type { AddressInfo } from 'node:net';
import express from 'express';
import { authenticate, authorizationServer, createAuthServer, memoryAuthStore } from '@auth/express';

export async function main() {
  const app = express();
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const auth = createAuthServer({
    issuer,
    store: memoryAuthStore(),
    secrets: [process.env.AUTH_SECRET ?? 'dev-only-secret-0123456789-abcdefghij'],
    cookies: { secure: false }, // plain http on loopback only
    methods: { bearer: true, cookie: true },
    accounts: {
      // your user directory: used by the built-in login page and the password grant
      authenticate: async (username, password) => (username === 'ada' && password === 'lovelace' ? { userId: 'u_ada' } : null),
    },
  });

  app.use(express.urlencoded({ extended: false })); // optional: works with or without a body parser
  app.use(authorizationServer(auth)); // /oauth/authorize, /oauth/token, /oauth/revoke, /oauth/introspect, metadata, login, consent
  app.get('/v1/reports', authenticate(auth, { scopes: ['reports:read'] }), (req, res) => {
    res.json({ clientId: req.auth!.clientId, reports: [] });
  });

  const { client, clientSecret } = await auth.clients.register({
    name: 'Nightly export',
    type: 'confidential',
    grantTypes: ['client_credentials'],
    scopes: ['reports:read'],
  });
  const token = await fetch(`${issuer}/oauth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${client.clientId}:${clientSecret}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials&scope=reports:read',
  });
  const { access_token } = (await token.json()) as { access_token: string };
  const reports = await fetch(`${issuer}/v1/reports`, { headers: { authorization: `Bearer ${access_token}` } });
  const results = {
    metadata: (await fetch(`${issuer}/.well-known/oauth-authorization-server`)).status, // 200
    reports: await reports.json(), // { clientId: '...', reports: [] }
  };
  server.close();
  await auth.close();
  return { ...results, clientId: client.clientId };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await main());
