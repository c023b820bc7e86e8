/**
 * The core's warm path seen through the plugin on a real socket: a repeated `Authorization` line is still
 * a 400 when its value is warm (Node keeps only the first line in `req.headers`), and a revocation
 * through the manager refuses the very next request.
 */
import { connect } from 'node:net';
import { createAuthServer, memoryAuthStore } from '@auth/core';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import fastifyAuth from '../src/index.js';

const auth = createAuthServer({
  issuer: 'http://127.0.0.1',
  store: memoryAuthStore(),
  secrets: ['warm-verify-test-secret-0123456789-abcdef'],
  methods: { bearer: true },
});
const app = Fastify();
let port = 0;

beforeAll(async () => {
  await app.register(fastifyAuth, { auth });
  app.get('/me', async (request) => ({ userId: request.auth!.userId }));
  app.get('/write', { config: { auth: { scopes: ['write'] } } }, async (request) => ({ userId: request.auth!.userId }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as { port: number }).port;
});
afterAll(async () => {
  await app.close();
  await auth.close();
});

/** Send raw header lines and return the status code. */
function status(headerLines: string[], path = '/me'): Promise<number> {
  return new Promise((resolve, reject) => {
    let data = '';
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${headerLines.map((l) => `${l}\r\n`).join('')}\r\n`);
    });
    socket.on('data', (chunk) => {
      data += chunk.toString();
    });
    socket.on('end', () => resolve(Number(data.split(' ')[1])));
    socket.on('error', reject);
  });
}

describe('@auth/fastify with a warm credential', () => {
  it('answers 400 to a repeated Authorization line carrying a warm value', async () => {
    const { secret } = await auth.personalTokens.create({ name: 't', userId: 'u1', scopes: [] });
    const line = `Authorization: Bearer ${secret}`;
    expect(await status([line])).toBe(200);
    expect(await status([line])).toBe(200);
    expect(await status([line, line])).toBe(400);
    expect(await status([line])).toBe(200);
  });

  it('refuses a warm personal token on the very next request after it is revoked', async () => {
    const { secret, credential } = await auth.personalTokens.create({ name: 't', userId: 'u1', scopes: [] });
    const line = `Authorization: Bearer ${secret}`;
    expect(await status([line])).toBe(200);
    expect(await status([line])).toBe(200);
    await auth.personalTokens.revoke(credential.id);
    expect(await status([line])).toBe(401);
  });

  it('settles a warm request without the asynchronous verify, and still checks the route scopes', async () => {
    const { secret } = await auth.personalTokens.create({ name: 't', userId: 'u1', scopes: ['read'] });
    const line = `Authorization: Bearer ${secret}`;
    const verify = vi.spyOn(auth, 'verify');
    try {
      expect(await status([line])).toBe(200);
      expect(verify).toHaveBeenCalledTimes(1);
      expect(await status([line])).toBe(200);
      expect(await status([line])).toBe(200);
      expect(verify).toHaveBeenCalledTimes(1);
      // Warm, but short of the route's scope: verify decides, and answers 403 every time.
      expect(await status([line], '/write')).toBe(403);
      expect(await status([line], '/write')).toBe(403);
      expect(verify).toHaveBeenCalledTimes(3);
    } finally {
      verify.mockRestore();
    }
  });

  it('calls the verify of a wrapper spread from the server on every request, warm or not', async () => {
    const seen: string[] = [];
    const wrapped = { ...auth, verify: (...args: Parameters<typeof auth.verify>) => (seen.push('verify'), auth.verify(...args)) };
    const other = Fastify();
    await other.register(fastifyAuth, { auth: wrapped });
    other.get('/me', async (request) => ({ userId: request.auth!.userId }));
    try {
      const { secret } = await auth.personalTokens.create({ name: 'w', userId: 'u2', scopes: [] });
      for (let i = 0; i < 3; i++) {
        const res = await other.inject({ url: '/me', headers: { authorization: `Bearer ${secret}` } });
        expect(res.json()).toEqual({ userId: 'u2' });
      }
      expect(seen).toHaveLength(3);
    } finally {
      await other.close();
    }
  });

  it('runs as a Fastify hook (done, settled in the same turn when warm) and awaited from a hook of your own', async () => {
    const other = Fastify();
    await other.register(fastifyAuth, { auth, protectAllRoutes: false });
    const order: string[] = [];
    other.get(
      '/hooked',
      {
        onRequest: [
          other.authenticate,
          (request, _reply, done) => {
            order.push(`next hook sees ${request.auth?.userId}`);
            done();
          },
        ],
      },
      async (request) => ({ userId: request.auth!.userId }),
    );
    // Awaited inside an async hook of the app's own: the promise form, a refusal still answered.
    other.get(
      '/awaited',
      {
        onRequest: async (request, reply) => {
          await other.authenticate(request, reply);
          order.push(`awaited: ${reply.sent ? 'refused' : request.auth?.userId}`);
        },
      },
      async (request) => ({ userId: request.auth!.userId }),
    );
    try {
      const { secret } = await auth.personalTokens.create({ name: 'h', userId: 'u3', scopes: [] });
      const headers = { authorization: `Bearer ${secret}` };
      for (let i = 0; i < 2; i++) {
        expect((await other.inject({ url: '/hooked', headers })).json()).toEqual({ userId: 'u3' });
        expect((await other.inject({ url: '/awaited', headers })).json()).toEqual({ userId: 'u3' });
      }
      const refused = await other.inject({ url: '/hooked', headers: { authorization: 'Bearer pat_nope' } });
      expect(refused.statusCode).toBe(401);
      expect(refused.json()).toMatchObject({ error: 'invalid_token' });
      const awaitedRefusal = await other.inject({ url: '/awaited' });
      expect(awaitedRefusal.statusCode).toBe(401);
      expect(order).toEqual([
        'next hook sees u3',
        'awaited: u3',
        'next hook sees u3',
        'awaited: u3',
        'awaited: refused',
      ]);

      // Warm: the hook calls done() before returning, with no promise.
      const request = { auth: null, is404: false, routeOptions: { config: {} }, raw: { headers, method: 'GET' }, method: 'GET', query: {}, body: undefined };
      let doneCalled = 0;
      const returned = (other.authenticate as (...a: unknown[]) => unknown)(request, {}, () => doneCalled++);
      expect(returned).toBeUndefined();
      expect(doneCalled).toBe(1);
      expect(request.auth).toMatchObject({ userId: 'u3' });
    } finally {
      await other.close();
    }
  });
});
