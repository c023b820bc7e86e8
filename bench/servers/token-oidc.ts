/**
 * node-oidc-provider 9 with its default memory adapter and `features.clientCredentials` on: the peer of
 * the token-endpoint benchmark.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { CPU_PATH, cpuBody, ready } from '../lib/child.js';

let handler: ((req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void) | null = null;
const server = createServer((req, res) => {
  if (req.url === CPU_PATH) {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(cpuBody()));
    return;
  }
  handler!(req, res);
});
server.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as AddressInfo).port;
const clientSecret = 'bench-oidc-client-secret-0123456789abcdef';
const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [
    {
      client_id: 'bench',
      client_secret: clientSecret,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  scopes: ['read'],
  features: { clientCredentials: { enabled: true }, devInteractions: { enabled: false } },
  cookies: { keys: ['bench-cookie-key-0123456789abcdef'] },
});
handler = provider.callback();
const basic = `Basic ${Buffer.from(`bench:${clientSecret}`).toString('base64')}`;
ready({ port, basic, path: '/token' }, () => new Promise<void>((r) => server.close(() => r())));
