/**
 * Fastify 5 app for the verification-overhead benchmark: the same handler unprotected, behind the
 * @auth/fastify plugin (opaque-token server and JWT server, each in its own context), behind
 * @fastify/bearer-auth, and behind an async `onRequest` hook that does nothing (what Fastify itself
 * charges for a promise-returning hook, the shape of ours).
 */
import bearerAuth from '@fastify/bearer-auth';
import fastifyAuth from '@auth/fastify';
import Fastify from 'fastify';
import { CPU_PATH, cpuBody, ready } from '../lib/child.js';
import { createFixture } from '../lib/fixture.js';

const fx = await createFixture();
const app = Fastify({ logger: false });
const handler = async () => ({ ok: true });
app.get(CPU_PATH, async () => cpuBody());
app.get('/open', handler);
app.get('/noop', { onRequest: async () => {} }, handler);
await app.register(async (scope) => {
  await scope.register(fastifyAuth, { auth: fx.auth });
  scope.get('/ours', handler);
});
await app.register(async (scope) => {
  await scope.register(fastifyAuth, { auth: fx.jwtAuth });
  scope.get('/ours-jwt', handler);
});
// The same no-op hook inside a plugin scope, where ours and the peer's hooks run: what the scope adds.
await app.register(async (scope) => {
  scope.addHook('onRequest', async () => {});
  scope.get('/noop-scoped', handler);
});
await app.register(async (scope) => {
  await scope.register(bearerAuth, { keys: new Set([fx.peerToken]) });
  scope.get('/peer', handler);
});
const address = await app.listen({ port: 0, host: '127.0.0.1' });
ready({ port: Number(new URL(address).port), creds: fx.creds }, () => app.close());
