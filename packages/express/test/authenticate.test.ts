/**
 * `authenticate` and `authErrorHandler` beyond the shared table: optional routes, the `_csrf` form field,
 * the legacy query key, a failing store, errors thrown by routes, and named middleware.
 */
import { createAdapterFixture } from '@auth/testkit';
import type express5 from 'express';
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import {
  authenticate,
  authErrorHandler,
  authorizationServer,
  ConfigError,
  createAuthServer,
  InsufficientScopeError,
  managementRoutes,
  memoryAuthStore,
  signInRoutes,
} from '../src/index.js';
import { EXPRESS_VARIANTS } from './express-variants.js';

for (const variant of EXPRESS_VARIANTS) {
  describe(`authenticate on ${variant.name}`, () => {
    it('settles a warm request in the same turn; revocation and missing scopes still refuse it', async () => {
      const auth = createAuthServer({
        issuer: 'http://127.0.0.1',
        store: memoryAuthStore(),
        secrets: ['express-warm-test-secret-0123456789-abcdef'],
        methods: { bearer: true },
      });
      try {
        const app = variant.express();
        app.get('/me', authenticate(auth), (req, res) => {
          res.json({ userId: req.auth?.userId ?? null });
        });
        app.get('/write', authenticate(auth, { scopes: ['write'] }), (req, res) => {
          res.json({ userId: req.auth?.userId ?? null });
        });
        const { secret, credential } = await auth.personalTokens.create({ name: 't', userId: 'u1', scopes: ['read'] });
        const bearer = `Bearer ${secret}`;
        const verify = vi.spyOn(auth, 'verify');
        expect((await request(app).get('/me').set('authorization', bearer)).body).toEqual({ userId: 'u1' });
        expect((await request(app).get('/me').set('authorization', bearer)).body).toEqual({ userId: 'u1' });
        expect(verify).toHaveBeenCalledTimes(1);
        expect((await request(app).get('/write').set('authorization', bearer)).status).toBe(403);
        expect(verify).toHaveBeenCalledTimes(2);
        await auth.personalTokens.revoke(credential.id);
        expect((await request(app).get('/me').set('authorization', bearer)).status).toBe(401);

        // A wrapper spread from the server keeps its own verify on every request, warm or not.
        const seen: string[] = [];
        const wrapped = { ...auth, verify: (...args: Parameters<typeof auth.verify>) => (seen.push('verify'), auth.verify(...args)) };
        const other = variant.express();
        other.get('/me', authenticate(wrapped), (req, res) => {
          res.json({ userId: req.auth?.userId ?? null });
        });
        const fresh = `Bearer ${(await auth.personalTokens.create({ name: 'w', userId: 'u2', scopes: [] })).secret}`;
        for (let i = 0; i < 3; i++) expect((await request(other).get('/me').set('authorization', fresh)).body).toEqual({ userId: 'u2' });
        expect(seen).toHaveLength(3);
      } finally {
        await auth.close();
      }
    });

    it('lets anonymous requests through optional routes, but not bad credentials', async () => {
      const fixture = await createAdapterFixture();
      try {
        const app = variant.express();
        app.get('/feed', authenticate(fixture.auth, { optional: true }), (req, res) => {
          res.json({ userId: req.auth?.userId ?? null });
        });
        expect((await request(app).get('/feed')).body).toEqual({ userId: null });
        expect((await request(app).get('/feed').set('authorization', `Bearer ${fixture.values.pat}`)).body).toEqual({ userId: 'u_1' });
        const bad = await request(app).get('/feed').set('authorization', `Bearer ${fixture.values.revokedPat}`);
        expect(bad.status).toBe(401);
        expect(bad.headers['www-authenticate']).toContain('error="invalid_token"');
      } finally {
        await fixture.close();
      }
    });

    it('accepts the CSRF token as a `_csrf` form field when the body was parsed', async () => {
      const fixture = await createAdapterFixture();
      try {
        const app = variant.express();
        app.use((variant.express as typeof express5).urlencoded({ extended: false }));
        app.post('/items', authenticate(fixture.auth), (req, res) => {
          res.json({ method: req.auth!.method });
        });
        const ok = await request(app).post('/items').set('cookie', fixture.values.cookie).type('form').send({ _csrf: fixture.values.csrfToken });
        expect(ok.status).toBe(200);
        expect(ok.body).toEqual({ method: 'cookie' });
        const wrong = await request(app).post('/items').set('cookie', fixture.values.cookie).type('form').send({ _csrf: 'nope' });
        expect(wrong.status).toBe(403);
      } finally {
        await fixture.close();
      }
    });

    it('reads the legacy query key only when the auth server enables it', async () => {
      const fixture = await createAdapterFixture({
        methods: { apiKey: true, bearer: true, legacyApiKey: { header: 'x-api-key', query: 'api_key' } },
      });
      try {
        const key = await fixture.auth.apiKeys.create({ name: 'legacy', userId: 'u_1', businessId: 'b_1', scopes: ['read'] });
        const app = variant.express();
        app.get('/me', authenticate(fixture.auth), (req, res) => {
          res.json({ method: req.auth!.method });
        });
        app.get('/header-only', authenticate(fixture.auth, { query: false }), (_req, res) => {
          res.json({ ok: true });
        });
        expect((await request(app).get(`/me?api_key=${key.secret}`)).body).toEqual({ method: 'legacy_api_key' });
        expect((await request(app).get(`/header-only?api_key=${key.secret}`)).status).toBe(401);
        const twice = await request(app).get(`/me?api_key=${key.secret}&api_key=${key.secret}`);
        expect(twice.status).toBe(400);
        expect(twice.body.error).toBe('invalid_request');
      } finally {
        await fixture.close();
      }
    });

    it('answers a failing store with a generic 500 that reveals nothing', async () => {
      const store = memoryAuthStore();
      const auth = createAuthServer({
        issuer: 'http://127.0.0.1:4000',
        store: {
          ...store,
          findCredentialByHash: async () => {
            throw new Error('connection refused: postgres://admin:hunter2@db');
          },
        },
        secrets: ['fixture-secret-0123456789-abcdefghijklmnop'],
      });
      try {
        const pat = await auth.personalTokens.create({ name: 'x', userId: 'u', businessId: null, scopes: [] });
        const app = variant.express();
        app.get('/me', authenticate(auth), (_req, res) => {
          res.json({ ok: true });
        });
        const res = await request(app).get('/me').set('authorization', `Bearer ${pat.secret}`);
        expect(res.status).toBe(500);
        expect(res.body).toEqual({ error: 'server_error', error_description: 'The server could not complete the request' });
        expect(res.text).not.toContain('hunter2');
      } finally {
        await auth.close();
      }
    });
  });

  describe(`authErrorHandler on ${variant.name}`, () => {
    it('renders protocol errors from routes, and passes other errors on unless `all`', async () => {
      const build = (all: boolean) => {
        const app = variant.express();
        app.get('/scoped', (_req, _res, next) => next(new InsufficientScopeError(undefined, { scope: 'admin' })));
        app.get('/boom', (_req, _res, next) => next(new Error('secret detail')));
        app.use(authErrorHandler({ all }));
        app.use((_err: unknown, _req: unknown, res: express5.Response, _next: unknown) => {
          res.status(599).json({ handledBy: 'app' });
        });
        return app;
      };
      const scoped = await request(build(false)).get('/scoped');
      expect(scoped.status).toBe(403);
      expect(scoped.headers['www-authenticate']).toBe('Bearer error="insufficient_scope", error_description="The credential lacks the required scope", scope="admin"');
      expect(scoped.body).toEqual({ error: 'insufficient_scope', error_description: 'The credential lacks the required scope', scope: 'admin' });
      expect((await request(build(false)).get('/boom')).body).toEqual({ handledBy: 'app' });
      const all = await request(build(true)).get('/boom');
      expect(all.status).toBe(500);
      expect(all.body.error).toBe('server_error');
      expect(all.text).not.toContain('secret detail');
    });
  });
}

describe('middleware factories', () => {
  it('return named functions and refuse bad options at construction', async () => {
    const fixture = await createAdapterFixture();
    try {
      expect(authenticate(fixture.auth).name).toBe('authenticate');
      expect(authErrorHandler().name).toBe('authErrorHandler');
      expect(authorizationServer(fixture.auth).name).toBe('authorizationServer');
      expect(managementRoutes(fixture.auth).name).toBe('managementRoutes');
      expect(() => authenticate(undefined as never)).toThrow(ConfigError);
      expect(() => authenticate(fixture.auth, { scopes: 'write' as never })).toThrow(ConfigError);
      expect(() => authorizationServer({} as never)).toThrow(ConfigError);
      expect(() => authorizationServer(undefined as never)).toThrow(ConfigError);
      expect(() => managementRoutes(undefined as never)).toThrow(ConfigError);
      expect(() => signInRoutes({} as never)).toThrow(ConfigError);
    } finally {
      await fixture.close();
    }
  });
});
