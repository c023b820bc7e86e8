/**
 * `managementRoutes(auth)`: the signed-in user's credentials (create, list, revoke), on Express 4 and 5,
 * with and without `express.json()`, verifying on its own or after `authenticate(auth)`. Another user's
 * ids are 404, exactly like unknown ones.
 */
import type express5 from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, authErrorHandler, managementRoutes } from '../src/index.js';
import { EXPRESS_VARIANTS } from './express-variants.js';
import { type Provider, startProvider, USERS } from './provider.js';

const SETUPS = [
  { name: 'verifying itself, body unparsed', json: false, preAuthenticate: false },
  { name: 'after authenticate(auth), express.json()', json: true, preAuthenticate: true },
] as const;

for (const variant of EXPRESS_VARIANTS) {
  for (const setup of SETUPS) {
    describe(`managementRoutes on ${variant.name}, ${setup.name}`, () => {
      let provider: Provider;
      let app: ReturnType<typeof express5>;
      const users = {} as Record<'alice' | 'bob', { cookie: string; csrf: string }>;
      beforeAll(async () => {
        provider = await startProvider(variant);
        const { auth } = provider;
        app = variant.express();
        if (setup.json) app.use((variant.express as typeof express5).json());
        if (setup.preAuthenticate) app.use('/account', authenticate(auth));
        app.use(managementRoutes(auth));
        app.get('/api/me', authenticate(auth), (req, res) => {
          res.json({ method: req.auth!.method, userId: req.auth!.userId });
        });
        // Renders express.json()'s parse errors in the standard format too.
        app.use(authErrorHandler());
        for (const name of ['alice', 'bob'] as const) {
          const session = auth.sessions.issue({ userId: USERS[name].userId, businessId: USERS[name].businessId, scopes: ['read', 'write'] });
          users[name] = { cookie: `${auth.sessions.name}=${session.value}`, csrf: session.csrfToken };
        }
      });
      afterAll(() => provider.close());

      const as = (name: 'alice' | 'bob') => ({ cookie: users[name].cookie, 'x-csrf-token': users[name].csrf });

      it('creates, lists and revokes API keys and personal tokens for the signed-in user only', async () => {
        const created = await request(app).post('/account/api-keys').set(as('alice')).send({ name: 'CRM sync', scopes: ['read'] });
        expect(created.status).toBe(201);
        const { secret, credential } = created.body as { secret: string; credential: { id: string } };
        expect(secret).toMatch(/^ak_/);
        const withKey = await request(app)
          .get('/api/me')
          .set({ 'x-api-key': secret, 'x-business-id': USERS.alice.businessId, 'x-user-id': USERS.alice.userId });
        expect(withKey.body).toEqual({ method: 'api_key', userId: USERS.alice.userId });

        const pat = await request(app).post('/account/personal-tokens').set(as('alice')).send({ name: 'cli', scopes: ['read'] });
        expect(pat.status).toBe(201);
        expect((await request(app).get('/api/me').set('authorization', `Bearer ${pat.body.secret}`)).status).toBe(200);

        const listed = await request(app).get('/account/api-keys').set('cookie', users.alice.cookie);
        expect(listed.status).toBe(200);
        expect(listed.body.items.map((i: { id: string }) => i.id)).toContain(credential.id);
        expect(JSON.stringify(listed.body)).not.toContain(secret);

        // Bob sees nothing of Alice's, and her ids are 404 to him, as unknown ids are.
        const bobs = await request(app).get('/account/api-keys').set('cookie', users.bob.cookie);
        expect(bobs.body.items).toEqual([]);
        const steal = await request(app).delete(`/account/api-keys/${credential.id}`).set(as('bob'));
        expect(steal.status).toBe(404);
        expect(steal.body.error).toBe('not_found');
        const unknown = await request(app).delete('/account/api-keys/no-such-id').set(as('bob'));
        expect(unknown.status).toBe(404);
        expect(unknown.body).toEqual(steal.body);
        expect((await request(app).get(`/account/api-keys/${credential.id}`).set('cookie', users.bob.cookie)).status).toBe(404);

        const revoked = await request(app).delete(`/account/api-keys/${credential.id}`).set(as('alice'));
        expect(revoked.status).toBe(200);
        const afterRevoke = await request(app)
          .get('/api/me')
          .set({ 'x-api-key': secret, 'x-business-id': USERS.alice.businessId, 'x-user-id': USERS.alice.userId });
        expect(afterRevoke.status).toBe(401);
      });

      it('registers apps for their owner only', async () => {
        const app1 = await request(app)
          .post('/account/apps')
          .set(as('alice'))
          .send({ name: 'Reports', type: 'confidential', redirectUris: ['https://reports.example.com/cb'], scopes: ['read'] });
        expect(app1.status).toBe(201);
        expect(app1.body.clientSecret).toMatch(/^cs_/);
        const clientId = app1.body.client.clientId as string;
        expect((await request(app).get(`/account/apps/${clientId}`).set('cookie', users.alice.cookie)).status).toBe(200);
        expect((await request(app).get(`/account/apps/${clientId}`).set('cookie', users.bob.cookie)).status).toBe(404);
        expect((await request(app).delete(`/account/apps/${clientId}`).set(as('bob'))).status).toBe(404);
        expect((await request(app).delete(`/account/apps/${clientId}`).set(as('alice'))).status).toBe(200);
      });

      it('refuses anonymous callers, missing CSRF, other schemes and bad JSON in the standard format', async () => {
        const anonymous = await request(app).get('/account/api-keys');
        expect(anonymous.status).toBe(401);
        expect(anonymous.headers['www-authenticate']).toBeDefined();
        const noCsrf = await request(app).post('/account/api-keys').set('cookie', users.alice.cookie).send({ name: 'x' });
        expect(noCsrf.status).toBe(403);
        const key = await provider.auth.apiKeys.create({ name: 'k', userId: USERS.alice.userId, businessId: USERS.alice.businessId, scopes: ['read'] });
        const byKey = await request(app)
          .get('/account/api-keys')
          .set({ 'x-api-key': key.secret, 'x-business-id': USERS.alice.businessId, 'x-user-id': USERS.alice.userId });
        expect(byKey.status).toBe(403);
        expect(byKey.body.error).toBe('insufficient_scope');
        const badJson = await request(app).post('/account/api-keys').set(as('alice')).set('content-type', 'application/json').send('{"name":');
        expect(badJson.status).toBe(400);
        expect(badJson.body.error).toBe('invalid_request');
        expect(badJson.headers['content-type']).toMatch(/^application\/json/);
        expect((await request(app).get('/account/unknown-area').set('cookie', users.alice.cookie)).status).toBe(404);
      });
    });
  }
}
