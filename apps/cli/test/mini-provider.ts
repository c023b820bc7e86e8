/**
 * A minimal provider for the CLI tests: the core's authorization server (client_credentials and password
 * grants) and `/v1/me` accepting every machine scheme, over a memory store, on a loopback port.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuthServer, errorResponse, memoryAuthStore } from '@auth/core';

export const USER = { username: 'demo@example.com', password: 'correct horse battery staple', userId: 'u_demo', businessId: 'b_demo' };

export async function startMiniProvider() {
  const http = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const auth = createAuthServer({
    issuer,
    store: memoryAuthStore(),
    secrets: ['cli-test-secret-0123456789-abcdefghijklmnopqrstuv'],
    methods: { apiKey: true, legacyApiKey: true, bearer: true, secret: true },
    oauth: { grants: { password: true } },
    accounts: {
      async authenticate(username, password) {
        return username === USER.username && password === USER.password ? { userId: USER.userId, businessId: USER.businessId } : null;
      },
    },
  });
  http.on('request', async (req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    if (auth.oauth.matches(url.pathname)) {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const response = await auth.handle(
        new Request(url, {
          method: req.method,
          headers: req.headers as Record<string, string>,
          body: req.method === 'GET' || req.method === 'HEAD' ? undefined : Buffer.concat(chunks),
        }),
      );
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
      return;
    }
    try {
      if (url.pathname !== '/v1/me') {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
        return;
      }
      const principal = await auth.verify((name) => req.headers[name], {
        httpMethod: req.method,
        allow: ['api_key', 'legacy_api_key', 'personal_token', 'access_token', 'secret'],
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: principal.method, userId: principal.userId, clientId: principal.clientId }));
    } catch (err) {
      const { status, headers, body } = errorResponse(err);
      res.writeHead(status, { ...headers, 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    }
  });

  const key = await auth.apiKeys.create({ name: 'cli', userId: USER.userId, businessId: USER.businessId, scopes: ['campaigns:read'] });
  const legacy = await auth.apiKeys.create({ name: 'legacy', userId: USER.userId, businessId: USER.businessId, scopes: ['campaigns:read'] });
  const pat = await auth.personalTokens.create({ name: 'cli', userId: USER.userId, scopes: ['campaigns:read'] });
  const secret = await auth.secrets.create({ name: 'cli', userId: USER.userId, businessId: USER.businessId, scopes: ['campaigns:read'] });
  const client = await auth.clients.register({
    name: 'cli',
    type: 'confidential',
    grantTypes: ['client_credentials', 'password'],
    scopes: ['campaigns:read'],
  });
  const credentials = {
    issuer,
    user: USER,
    confidentialClient: { clientId: client.client.clientId, clientSecret: client.clientSecret },
    apiKey: { key: key.secret, businessId: USER.businessId, userId: USER.userId },
    legacyApiKey: { key: legacy.secret },
    personalToken: pat.secret,
    secret: secret.secret,
  };
  return {
    issuer,
    auth,
    credentials,
    keyId: key.credential.id,
    async close() {
      await auth.close();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}
