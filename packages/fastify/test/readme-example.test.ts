/** The README's "Protect routes" example, as written, so the documentation cannot drift from the API. */
import Fastify from 'fastify';
import { expect, it } from 'vitest';
import fastifyAuth, { createAuthServer, isAuthError, memoryAuthStore, sendAuthError } from '../src/index.js';

it('README: protect routes, opt out, scopes, Secret-only, and sendAuthError in the host error handler', async () => {
  const auth = createAuthServer({
    issuer: 'https://api.example.com',
    store: memoryAuthStore(),
    secrets: ['readme-secret-0123456789-abcdefghijklmnop'],
    methods: { apiKey: true, bearer: true, secret: true, cookie: true },
  });
  const app = Fastify();
  await app.register(fastifyAuth, { auth });
  app.get('/health', { config: { auth: false } }, async () => ({ ok: true }));
  app.get('/me', async (request) => ({ userId: request.auth!.userId }));
  app.post('/items', { config: { auth: { scopes: ['write'] } } }, async () => ({ ok: true }));
  app.post('/webhooks', { config: { auth: { allow: ['secret'] } } }, async () => ({ ok: true }));
  app.get('/throws', async () => {
    throw await auth.verify(() => undefined).catch((error: unknown) => error);
  });
  app.setErrorHandler(function renderErrors(error, _request, reply) {
    if (isAuthError(error)) return sendAuthError(reply, error);
    return reply.send(error);
  });

  const token = await auth.personalTokens.create({ name: 'readme', userId: 'u1', businessId: null, scopes: ['read'] });
  const bearer = { authorization: `Bearer ${token.secret}` };
  expect((await app.inject('/health')).json()).toEqual({ ok: true });
  expect((await app.inject({ url: '/me', headers: bearer })).json()).toEqual({ userId: 'u1' });
  const noScope = await app.inject({ method: 'POST', url: '/items', headers: bearer });
  expect(noScope.statusCode).toBe(403);
  expect(noScope.headers['www-authenticate']).toContain('error="insufficient_scope"');
  expect((await app.inject({ method: 'POST', url: '/webhooks', headers: bearer })).statusCode).toBe(401);
  // A core error thrown by a handler, rendered by the host's handler in the standard format.
  const thrown = await app.inject({ url: '/throws', headers: bearer });
  expect(thrown.statusCode).toBe(401);
  expect(thrown.json()).toMatchObject({ error: 'invalid_token' });
  await app.close();
  await auth.close();
});
