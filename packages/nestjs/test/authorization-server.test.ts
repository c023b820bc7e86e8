import 'reflect-metadata';
import { Readable } from 'node:stream';
import { type AdapterFixture, createAdapterFixture, FIXTURE_ISSUER } from '@auth/testkit';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuthModule, generateCodeVerifier, s256CodeChallenge } from '../src/index.js';
import { FixtureController } from './fixture-controller.js';
import { createApp, http, PLATFORMS, type Platform } from './nest-app.js';

const REDIRECT_URI = 'http://127.0.0.1:4001/callback';

// Express runs with and without Nest's body parsers; Fastify's middleware always sees the unread stream.
const variants: { platform: Platform; bodyParser: boolean }[] = [
  ...PLATFORMS.map((platform) => ({ platform, bodyParser: true })),
  { platform: 'express', bodyParser: false },
];

for (const { platform, bodyParser } of variants) {
  describe(`authorization server mounted on ${platform}${bodyParser ? '' : ' (no body parser)'}`, () => {
    let fixture: AdapterFixture;
    let app: INestApplication;
    let machine: { clientId: string; clientSecret: string };
    let spa: { clientId: string };
    const basic = (id: string, secret: string) =>
      `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

    beforeAll(async () => {
      // The fixture's user has always consented, so a signed-in browser gets a code at once.
      fixture = await createAdapterFixture({ oauth: { interaction: { hasConsent: () => true } } });
      const m = await fixture.auth.clients.register({
        name: 'machine',
        type: 'confidential',
        grantTypes: ['client_credentials'],
        scopes: ['read', 'write'],
      });
      machine = { clientId: m.client.clientId, clientSecret: m.clientSecret };
      const s = await fixture.auth.clients.register({
        name: 'spa',
        type: 'public',
        redirectUris: [REDIRECT_URI],
        grantTypes: ['authorization_code', 'refresh_token'],
        scopes: ['read'],
      });
      spa = { clientId: s.client.clientId };
      app = await createApp(
        platform,
        {
          imports: [AuthModule.forRoot({ server: fixture.auth, authorizationServer: true, globalGuard: true })],
          controllers: [FixtureController],
        },
        { bodyParser },
      );
    });
    afterAll(async () => {
      await app?.close();
      await fixture?.close();
    });

    it('serves the metadata document, unguarded', async () => {
      const res = await http(app).get('/.well-known/oauth-authorization-server');
      expect(res.status).toBe(200);
      expect(res.body.issuer).toBe(FIXTURE_ISSUER);
      expect(res.body.token_endpoint).toBe(`${FIXTURE_ISSUER}/oauth/token`);
    });

    it('client credentials: token from the mounted endpoint opens a guarded route', async () => {
      const serve = vi.spyOn(fixture.auth.oauth, 'serveBackChannel');
      const token = await http(app)
        .post('/oauth/token')
        .set('authorization', basic(machine.clientId, machine.clientSecret))
        .type('form')
        .send('grant_type=client_credentials&scope=read');
      expect(token.status).toBe(200);
      expect(token.headers['cache-control']).toBe('no-store');
      expect(token.body).toMatchObject({ token_type: 'Bearer', scope: 'read' });
      // The body reached the core parsed by Express, or as the unread stream (no Web Request built).
      const [request] = serve.mock.calls[0]!;
      expect(request.pathname).toBe('/oauth/token');
      if (platform === 'express' && bodyParser) {
        expect(request.body).toEqual({ grant_type: 'client_credentials', scope: 'read' });
      } else {
        expect(request.body).toBeInstanceOf(Readable);
        expect((request.body as Readable).readableEnded).toBe(true);
      }
      serve.mockRestore();
      const me = await http(app).get('/me').set('authorization', `Bearer ${token.body.access_token}`);
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ method: 'access_token', clientId: machine.clientId, scopes: ['read'] });
      // Scope `read` only: the write route is refused by the guard, with the core's challenge.
      const items = await http(app).post('/items').set('authorization', `Bearer ${token.body.access_token}`);
      expect(items.status).toBe(403);
      expect(items.headers['www-authenticate']).toContain('error="insufficient_scope"');
    });

    it('client credentials with a wrong secret: 401 invalid_client with a Basic challenge', async () => {
      const res = await http(app)
        .post('/oauth/token')
        .set('authorization', basic(machine.clientId, `${machine.clientSecret.slice(0, -4)}AAAA`))
        .type('form')
        .send('grant_type=client_credentials');
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_client');
      expect(res.headers['www-authenticate']).toMatch(/^Basic/);
      expect(JSON.stringify(res.body)).not.toContain(machine.clientSecret.slice(0, 12));
    });

    it('authorization code + PKCE: authorize, exchange, call, refresh', async () => {
      const verifier = generateCodeVerifier();
      const query = new URLSearchParams({
        response_type: 'code',
        client_id: spa.clientId,
        redirect_uri: REDIRECT_URI,
        scope: 'read',
        state: 'st-1',
        code_challenge: s256CodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      const authorize = await http(app).get(`/oauth/authorize?${query}`).set('cookie', fixture.values.cookie);
      expect(authorize.status).toBe(303);
      const location = new URL(authorize.headers.location as string);
      expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
      expect(location.searchParams.get('state')).toBe('st-1');
      expect(location.searchParams.get('iss')).toBe(FIXTURE_ISSUER);
      const code = location.searchParams.get('code')!;

      const exchange = (codeVerifier: string) =>
        http(app)
          .post('/oauth/token')
          .type('form')
          .send(new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: spa.clientId, code_verifier: codeVerifier }).toString());
      const wrong = await exchange(generateCodeVerifier());
      expect(wrong.status).toBe(400);
      expect(wrong.body.error).toBe('invalid_grant');

      // Codes are single use and a failed redemption may consume one, so the real exchange starts over.
      const again = await http(app).get(`/oauth/authorize?${query}`).set('cookie', fixture.values.cookie);
      const code2 = new URL(again.headers.location as string).searchParams.get('code')!;
      const tokens = await http(app)
        .post('/oauth/token')
        .type('form')
        .send(new URLSearchParams({ grant_type: 'authorization_code', code: code2, redirect_uri: REDIRECT_URI, client_id: spa.clientId, code_verifier: verifier }).toString());
      expect(tokens.status).toBe(200);
      expect(tokens.body.refresh_token).toEqual(expect.any(String));

      const me = await http(app).get('/me').set('authorization', `Bearer ${tokens.body.access_token}`);
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ method: 'access_token', userId: fixture.values.userId, clientId: spa.clientId, scopes: ['read'] });

      const refreshed = await http(app)
        .post('/oauth/token')
        .type('form')
        .send(new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token, client_id: spa.clientId }).toString());
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.refresh_token).not.toBe(tokens.body.refresh_token);
    });

    it('a repeated form parameter is invalid_request, not a 500', async () => {
      const res = await http(app)
        .post('/oauth/token')
        .type('form')
        .send('grant_type=client_credentials&grant_type=client_credentials');
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_request');
    });

    it('a JSON body is invalid_request', async () => {
      const res = await http(app).post('/oauth/token').send({ grant_type: 'client_credentials' });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_request');
    });

    it('GET on the token endpoint is 405 with Allow: POST', async () => {
      const res = await http(app).get('/oauth/token');
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('POST');
    });

    it('leaves other routes to Nest: the guard still protects them and unknown paths are 404', async () => {
      expect((await http(app).get('/me')).status).toBe(401);
      expect((await http(app).get('/public')).status).toBe(200);
      expect((await http(app).get('/oauth/nope')).status).toBe(404);
    });
  });
}
