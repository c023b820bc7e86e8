/** Test apps: the shared fixture routes registered the Fastify way, and an inject-based harness. */
import { type AdapterHarness, FIXTURE_ROUTES, principalBody, type AdapterFixture } from '@auth/testkit';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyAuth, { type FastifyAuthOptions } from '../src/index.js';

/** Register {@link FIXTURE_ROUTES}, each with its protection in `config.auth`. */
export function registerFixtureRoutes(app: FastifyInstance): void {
  app.get('/public', { config: { auth: false } }, async () => ({ ok: true }));
  app.get('/me', async (request) => principalBody(request.auth!));
  app.post('/items', { config: { auth: { scopes: FIXTURE_ROUTES['/items'].scopes } } }, async (request) => principalBody(request.auth!));
  app.get('/secret-only', { config: { auth: { allow: FIXTURE_ROUTES['/secret-only'].allow } } }, async (request) => principalBody(request.auth!));
}

/** An app protecting the fixture routes, plus whatever `options` mount. */
export async function fixtureApp(fixture: AdapterFixture, options: Partial<FastifyAuthOptions> = {}): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(fastifyAuth, { auth: fixture.auth, ...options });
  registerFixtureRoutes(app);
  await app.ready();
  return app;
}

/** Drive an app with `inject()`. */
export function injectHarness(app: FastifyInstance): AdapterHarness {
  return {
    async request({ method, path, headers }) {
      const res = await app.inject({ method: method as 'GET', url: path, headers });
      const body = res.body ? JSON.parse(res.body) : undefined;
      return { status: res.statusCode, headers: res.headers as Record<string, string | undefined>, body };
    },
    close: () => app.close(),
  };
}
