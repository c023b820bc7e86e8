/**
 * `authorizationServer(auth)`: the core's OAuth 2.0 endpoints mounted in Express 4 and 5, with the host
 * app's body parsing on or off, driven over real loopback HTTP through the built-in login and consent
 * pages.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationServer, generateCodeVerifier, s256CodeChallenge } from '../src/index.js';
import { authorizeInBrowser, Browser } from './browser.js';
import { EXPRESS_VARIANTS } from './express-variants.js';
import { type BodyMode, type Provider, startProvider, USERS } from './provider.js';

const REDIRECT_URI = 'http://127.0.0.1:1/callback';
const BODY_MODES: readonly BodyMode[] = ['unparsed', 'urlencoded', 'urlencoded-extended', 'json-only', 'text'];

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

function form(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields),
  });
}

for (const variant of EXPRESS_VARIANTS) {
  for (const mode of BODY_MODES) {
    describe(`authorizationServer on ${variant.name}, body ${mode}`, () => {
      let provider: Provider;
      let client: { clientId: string; clientSecret: string };
      beforeAll(async () => {
        provider = await startProvider(variant, { body: mode });
        client = await provider.registerClient(REDIRECT_URI);
      });
      afterAll(() => provider.close());

      it('runs authorization code + PKCE through the built-in pages, then refresh and revocation', async () => {
        const verifier = generateCodeVerifier();
        const authorize = new URL(`${provider.origin}/oauth/authorize`);
        authorize.search = new URLSearchParams({
          response_type: 'code',
          client_id: client.clientId,
          redirect_uri: REDIRECT_URI,
          scope: 'read',
          state: 'st-1',
          code_challenge: s256CodeChallenge(verifier),
          code_challenge_method: 'S256',
        }).toString();
        const back = await authorizeInBrowser(new Browser(), authorize.href, USERS.alice);
        expect(back.status).toBe(303);
        const callback = new URL(back.headers.get('location')!);
        expect(callback.origin + callback.pathname).toBe(REDIRECT_URI);
        expect(callback.searchParams.get('state')).toBe('st-1');
        expect(callback.searchParams.get('iss')).toBe(provider.issuer);
        const code = callback.searchParams.get('code')!;

        const token = await form(
          `${provider.origin}/oauth/token`,
          { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier },
          { authorization: basic(client.clientId, client.clientSecret) },
        );
        expect(token.status).toBe(200);
        expect(token.headers.get('cache-control')).toBe('no-store');
        const tokens = (await token.json()) as { access_token: string; refresh_token: string; scope: string };
        expect(tokens.scope).toBe('read');

        const me = await fetch(`${provider.origin}/api/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
        expect(await me.json()).toEqual({ method: 'access_token', userId: USERS.alice.userId, scopes: ['read'] });

        const refreshed = await form(`${provider.origin}/oauth/token`, {
          grant_type: 'refresh_token',
          refresh_token: tokens.refresh_token,
          client_id: client.clientId,
          client_secret: client.clientSecret,
        });
        expect(refreshed.status).toBe(200);
        const next = (await refreshed.json()) as { access_token: string; refresh_token: string };
        expect(next.refresh_token).not.toBe(tokens.refresh_token);

        const revoked = await form(
          `${provider.origin}/oauth/revoke`,
          { token: next.refresh_token },
          { authorization: basic(client.clientId, client.clientSecret) },
        );
        expect(revoked.status).toBe(200);
        const after = await fetch(`${provider.origin}/api/me`, { headers: { authorization: `Bearer ${next.access_token}` } });
        expect(after.status).toBe(401);
        expect(after.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
      });

      it('answers token endpoint errors in the RFC 6749 format', async () => {
        const wrongSecret = await form(
          `${provider.origin}/oauth/token`,
          { grant_type: 'authorization_code', code: 'nope', redirect_uri: REDIRECT_URI, code_verifier: 'x'.repeat(43) },
          { authorization: basic(client.clientId, `${client.clientSecret}x`) },
        );
        expect(wrongSecret.status).toBe(401);
        expect(wrongSecret.headers.get('www-authenticate')).toMatch(/^Basic/);
        expect(await wrongSecret.json()).toMatchObject({ error: 'invalid_client' });

        // A repeated parameter reaches the core as a repeat whichever parser ran (arrays, or the raw form).
        const repeated = await fetch(`${provider.origin}/oauth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client.clientId, client.clientSecret) },
          body: 'grant_type=refresh_token&refresh_token=a&refresh_token=b',
        });
        expect(repeated.status).toBe(400);
        expect(await repeated.json()).toMatchObject({ error: 'invalid_request' });

        const json = await fetch(`${provider.origin}/oauth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ grant_type: 'client_credentials' }),
        });
        expect(json.status).toBe(400);
        expect(await json.json()).toMatchObject({ error: 'invalid_request' });

        const get = await fetch(`${provider.origin}/oauth/token`);
        expect(get.status).toBe(405);
        expect(get.headers.get('allow')).toBe('POST');
      });

      it('serves metadata and leaves every other path to the app', async () => {
        const meta = await fetch(`${provider.origin}/.well-known/oauth-authorization-server`);
        expect(meta.status).toBe(200);
        expect(await meta.json()).toMatchObject({ issuer: provider.issuer, token_endpoint: `${provider.issuer}/oauth/token` });
        const head = await fetch(`${provider.origin}/.well-known/oauth-authorization-server`, { method: 'HEAD' });
        expect(head.status).toBe(200);
        expect(await head.text()).toBe('');
        for (const path of ['/oauth/tokens', '/oauth', '/x/oauth/token']) {
          const other = await fetch(`${provider.origin}${path}`, { method: 'POST' });
          expect(other.status, path).toBe(404);
          expect(await other.json()).toEqual({ error: 'app_not_found' });
        }
      });
    });
  }

  describe(`authorizationServer on ${variant.name}: mounting and bad input`, () => {
    it('serves an issuer with a path, mounted at the root or under that path', async () => {
      const provider = await startProvider(variant, { issuerPath: '/auth' });
      try {
        const meta = await request(provider.app).get('/.well-known/oauth-authorization-server/auth');
        expect(meta.status).toBe(200);
        expect(meta.body.token_endpoint).toBe(`${provider.origin}/auth/oauth/token`);
        const token = await request(provider.app).post('/auth/oauth/token').type('form').send({ grant_type: 'client_credentials' });
        expect(token.status).toBe(401);
        expect(token.body.error).toBe('invalid_client');

        const nested = variant.express();
        nested.use('/auth', authorizationServer(provider.auth));
        const viaPrefix = await request(nested).post('/auth/oauth/token').type('form').send({ grant_type: 'client_credentials' });
        expect(viaPrefix.status).toBe(401);
        expect(viaPrefix.body.error).toBe('invalid_client');
      } finally {
        await provider.close();
      }
    });

    it('answers a malformed Host, an oversize body and a body read without being kept with 400, never 500', async () => {
      const provider = await startProvider(variant);
      try {
        const badHost = await request(provider.app).get('/.well-known/oauth-authorization-server').set('Host', 'evil.example/path?');
        expect(badHost.status).toBe(400);
        expect(badHost.body).toEqual({ error: 'invalid_request', error_description: 'The Host header is missing or malformed' });

        const big = await request(provider.app)
          .post('/oauth/token')
          .type('form')
          .send(`grant_type=client_credentials&pad=${'a'.repeat(70 * 1024)}`);
        expect(big.status).toBe(400);
        expect(big.body.error).toBe('invalid_request');

        const eaten = variant.express();
        // A middleware that drains the stream and drops it (a logger, a misconfigured proxy).
        eaten.use((req, _res, next) => {
          req.on('end', () => next());
          req.resume();
        });
        eaten.use(authorizationServer(provider.auth));
        const res = await request(eaten).post('/oauth/token').type('form').send('grant_type=client_credentials');
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ error: 'invalid_request', error_description: 'The request body was already consumed' });
      } finally {
        await provider.close();
      }
    });
  });
}
