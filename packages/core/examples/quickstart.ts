// Both halves in one file: an API that accepts API keys and OAuth client credentials, and a client that
// calls it each way. Run it: `npx tsx packages/core/examples/quickstart.ts` from the repository root.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  apiKey,
  authFetch,
  clientCredentials,
  createAuthServer,
  createTokenManager,
  errorResponse,
  memoryAuthStore,
} from '@auth/core';

export async function main(): Promise<Record<string, unknown>> {
  // --- being an API -------------------------------------------------------------------------------
  const http = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  const auth = createAuthServer({
    issuer,
    store: memoryAuthStore(),
    secrets: ['change-me-to-32-or-more-random-characters'],
    // The user's current permissions: intersected with each API key's permission group on every request.
    accounts: { permissions: async () => ['campaigns:read'] },
  });

  http.on('request', async (req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    if (auth.oauth.matches(url.pathname)) {
      // The authorization server is a Web Request -> Response handler.
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
      // The hot path takes a header accessor: no Request conversion.
      const principal = await auth.verify((name) => req.headers[name], { httpMethod: req.method });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ campaigns: [], caller: principal.method, scopes: principal.scopes }));
    } catch (err) {
      const { status, headers, body } = errorResponse(err);
      res.writeHead(status, { ...headers, 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    }
  });

  const key = await auth.apiKeys.create({
    name: 'reporting',
    userId: 'u_1',
    businessId: 'b_1',
    scopes: ['campaigns:read'],
  });
  const app = await auth.clients.register({
    name: 'nightly sync',
    type: 'confidential',
    grantTypes: ['client_credentials'],
    scopes: ['campaigns:read'],
  });

  // --- calling an API -----------------------------------------------------------------------------
  const withKey = authFetch(apiKey({ key: key.secret, businessId: 'b_1', userId: 'u_1' }));
  const tokens = createTokenManager(
    clientCredentials({
      tokenEndpoint: `${issuer}/oauth/token`,
      clientId: app.client.clientId,
      clientSecret: app.clientSecret,
      scope: 'campaigns:read',
    }),
  );
  const withOAuth = authFetch(tokens);

  const results = {
    apiKey: await (await withKey(`${issuer}/v1/campaigns`)).json(),
    oauth: await (await withOAuth(`${issuer}/v1/campaigns`)).json(),
    anonymous: (await fetch(`${issuer}/v1/campaigns`)).status,
  };
  await auth.close();
  await new Promise((resolve) => http.close(resolve));
  return results;
}

if (process.argv[1]?.endsWith('quickstart.ts')) {
  main().then((r) => console.log(JSON.stringify(r, null, 2)));
}
