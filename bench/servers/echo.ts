/** A minimal JSON API on loopback for the axios benchmark: 200 with a credential, 401 without. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ready } from '../lib/child.js';

const body = JSON.stringify({ ok: true, items: [1, 2, 3] });
const server = createServer((req, res) => {
  const ok = typeof req.headers.authorization === 'string';
  res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => ready({ port: (server.address() as AddressInfo).port }));
