import 'reflect-metadata';
import { type AdapterFixture, createAdapterFixture } from '@auth/testkit';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthModule, createManagementHandler } from '../src/index.js';
import { FixtureController } from './fixture-controller.js';
import { createApp, http, PLATFORMS, type Platform } from './nest-app.js';

const variants: { platform: Platform; bodyParser: boolean }[] = [
  ...PLATFORMS.map((platform) => ({ platform, bodyParser: true })),
  { platform: 'express', bodyParser: false },
];

for (const { platform, bodyParser } of variants) {
  describe(`management routes on ${platform}${bodyParser ? '' : ' (no body parser)'}`, () => {
    let fixture: AdapterFixture;
    let app: INestApplication;
    let othersKeyId: string;
    const browser = () => ({ cookie: fixture.values.cookie, 'x-csrf-token': fixture.values.csrfToken, 'sec-fetch-site': 'same-origin' });

    beforeAll(async () => {
      fixture = await createAdapterFixture();
      othersKeyId = (await fixture.auth.apiKeys.create({ name: 'theirs', userId: 'u_2', businessId: 'b_1', scopes: ['read'] })).credential.id;
      app = await createApp(
        platform,
        {
          imports: [
            AuthModule.forRoot({ server: fixture.auth, management: createManagementHandler(fixture.auth), globalGuard: true }),
          ],
          controllers: [FixtureController],
        },
        { bodyParser },
      );
    });
    afterAll(async () => {
      await app?.close();
      await fixture?.close();
    });

    it('create, list and revoke an API key as the signed-in user; the key works until revoked', async () => {
      const created = await http(app).post('/account/api-keys').set(browser()).send({ name: 'CRM sync', scopes: ['read'] });
      expect(created.status).toBe(201);
      const { secret, credential } = created.body as { secret: string; credential: { id: string; userId: string } };
      expect(credential.userId).toBe('u_1');

      const triple = { 'x-api-key': secret, 'x-business-id': 'b_1', 'x-user-id': 'u_1' };
      const me = await http(app).get('/me').set(triple);
      expect(me.status).toBe(200);
      expect(me.body.scopes).toEqual(['read']);

      const list = await http(app).get('/account/api-keys').set({ cookie: fixture.values.cookie });
      expect(list.status).toBe(200);
      const ids = (list.body.items as { id: string }[]).map((i) => i.id);
      expect(ids).toContain(credential.id);
      expect(ids).not.toContain(othersKeyId);
      expect(JSON.stringify(list.body)).not.toContain(secret);

      const revoked = await http(app).delete(`/account/api-keys/${credential.id}`).set(browser());
      expect(revoked.status).toBe(200);
      expect((await http(app).get('/me').set(triple)).status).toBe(401);
    });

    it("another user's id is a 404, like an unknown one, and nothing is revoked", async () => {
      const theirs = await http(app).delete(`/account/api-keys/${othersKeyId}`).set(browser());
      const unknown = await http(app).delete('/account/api-keys/ak_nope').set(browser());
      expect(theirs.status).toBe(404);
      expect(theirs.body).toEqual(unknown.body);
      expect((await fixture.auth.apiKeys.get(othersKeyId))?.revokedAt).toBeNull();
    });

    it('refuses an unsafe cookie request without the CSRF token (403, core body)', async () => {
      const res = await http(app).post('/account/api-keys').set({ cookie: fixture.values.cookie }).send({ name: 'x', scopes: ['read'] });
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('invalid_request');
    });

    it('refuses an anonymous caller with the core 401 challenge', async () => {
      const res = await http(app).get('/account/api-keys');
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="fixture"');
    });

    it('refuses an API key (not a method that may manage credentials)', async () => {
      const res = await http(app)
        .get('/account/api-keys')
        .set({ 'x-api-key': fixture.values.apiKey, 'x-business-id': 'b_1', 'x-user-id': 'u_1' });
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('insufficient_scope');
    });

    it('bad JSON is a 400, not a 500', async () => {
      // With Express's JSON parser on, body-parser refuses the body before any middleware runs, so Nest
      // answers with its own 400 body; everywhere else the core reads the body and answers.
      const res = await http(app).post('/account/personal-tokens').set(browser()).set('content-type', 'application/json').send('{"name":');
      expect(res.status).toBe(400);
      if (platform === 'fastify' || !bodyParser) expect(res.body).toEqual({ error: 'invalid_request', error_description: 'The body is not valid JSON' });
    });
  });
}
