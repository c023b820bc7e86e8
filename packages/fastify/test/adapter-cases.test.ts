/**
 * The shared adapter table through the plugin, in each way a route can be protected: the global hook at
 * `onRequest`, at `preHandler`, and `fastify.authenticate` added per route with the global hook off.
 */
import { describeAdapterCases, FIXTURE_ROUTES, principalBody } from '@auth/testkit';
import Fastify from 'fastify';
import fastifyAuth from '../src/index.js';
import { fixtureApp, injectHarness } from './app.js';

describeAdapterCases('fastify (global onRequest hook)', async (fixture) => injectHarness(await fixtureApp(fixture)));

describeAdapterCases('fastify (global preHandler hook)', async (fixture) => injectHarness(await fixtureApp(fixture, { hook: 'preHandler' })));

describeAdapterCases('fastify (fastify.authenticate per route)', async (fixture) => {
  const app = Fastify();
  await app.register(fastifyAuth, { auth: fixture.auth, protectAllRoutes: false });
  app.get('/public', async () => ({ ok: true }));
  app.get('/me', { onRequest: app.authenticate }, async (request) => principalBody(request.auth!));
  app.post(
    '/items',
    { onRequest: [app.authenticate], config: { auth: { scopes: FIXTURE_ROUTES['/items'].scopes } } },
    async (request) => principalBody(request.auth!),
  );
  app.get(
    '/secret-only',
    { preHandler: app.authenticate, config: { auth: { allow: FIXTURE_ROUTES['/secret-only'].allow } } },
    async (request) => principalBody(request.auth!),
  );
  await app.ready();
  return injectHarness(app);
});
