import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeHeaderAccessor } from '../../../src/server/verify/header-accessor.js';

// Raw requests over a real socket: Node itself keeps only the first `Authorization` line in
// `req.headers`, which is exactly what the accessor must see past.
describe('nodeHeaderAccessor on a real Node request', () => {
  let port = 0;
  let lastSeen: unknown;
  const server = createServer((req: IncomingMessage, res) => {
    const get = nodeHeaderAccessor(req);
    lastSeen = { authorization: get('authorization'), apiKey: get('x-api-key'), nodeKept: req.headers.authorization };
    res.end('ok');
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  async function send(headerLines: string[]): Promise<unknown> {
    lastSeen = undefined;
    await new Promise<void>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${headerLines.map((l) => `${l}\r\n`).join('')}\r\n`);
      });
      socket.on('data', () => {});
      socket.on('end', resolve);
      socket.on('error', reject);
      socket.setTimeout(5000, () => reject(new Error('timeout')));
    });
    return lastSeen;
  }

  it('returns the single Authorization value as a string', async () => {
    expect(await send(['Authorization: Bearer one'])).toMatchObject({ authorization: 'Bearer one' });
  });

  it('exposes a repeated Authorization header that Node would have collapsed to its first line', async () => {
    const seen = await send(['authorization: Bearer one', 'AUTHORIZATION: Bearer two']);
    expect(seen).toMatchObject({ authorization: ['Bearer one', 'Bearer two'], nodeKept: 'Bearer one' });
  });

  it('reads other headers from req.headers (Node joins their repeats with ", ")', async () => {
    expect(await send(['X-API-KEY: a', 'x-api-key: b'])).toMatchObject({ apiKey: 'a, b', authorization: undefined });
  });
});
