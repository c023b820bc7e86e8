/**
 * The authorization server mounted by the plugin: form bodies with and without a host parser, Fastify's
 * own request errors in the standard format, the host's parsers and routes left alone, and a full
 * authorization code + PKCE flow over real HTTP.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { generateCodeVerifier, s256CodeChallenge } from '../src/index.js';
import { authorizeInBrowser, Browser } from './browser.js';
import { type HostFormParser, type LoopbackApp, startLoopbackApp, USER } from './loopback-app.js';

let running: LoopbackApp | null = null;
afterEach(async () => {
  await running?.close();
  running = null;
});

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

async function machineClient(app: LoopbackApp) {
  const { client, clientSecret } = await app.auth.clients.register({
    name: 'machine',
    type: 'confidential',
    grantTypes: ['client_credentials'],
    scopes: ['read', 'write'],
  });
  return { clientId: client.clientId, authorization: basic(client.clientId, clientSecret) };
}

const PARSERS: HostFormParser[] = ['none', 'formbody', 'urlsearchparams', 'string'];

describe.each(PARSERS)('token endpoint with host form parser: %s', (parser) => {
  it('issues a client_credentials token from a form body, usable on a protected route', async () => {
    running = await startLoopbackApp({ parser });
    const { authorization } = await machineClient(running);
    const res = await running.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=client_credentials&scope=read',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const token = res.json() as { access_token: string; scope: string };
    expect(token.scope).toBe('read');
    const me = await running.app.inject({ url: '/api/me', headers: { authorization: `Bearer ${token.access_token}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ method: 'access_token', scopes: ['read'] });
  });

  it('refuses a repeated parameter with the core invalid_request, whatever parsed the body', async () => {
    running = await startLoopbackApp({ parser });
    const { authorization } = await machineClient(running);
    const res = await running.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=client_credentials&scope=read&scope=write',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'invalid_request', error_description: 'Parameter "scope" is repeated' });
  });

  it('answers invalid_client with 401 and WWW-Authenticate: Basic', async () => {
    running = await startLoopbackApp({ parser });
    const res = await running.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { authorization: basic('nobody', 'wrong'), 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=client_credentials',
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Basic\b/);
    expect(res.json()).toMatchObject({ error: 'invalid_client' });
  });
});

describe('requests Fastify refuses before the core sees them', () => {
  it('malformed JSON, an unknown content type and an oversize body are 4xx in the standard format', async () => {
    running = await startLoopbackApp();
    const cases = [
      { type: 'application/json', payload: '{"grant_type":', status: 400 },
      { type: 'multipart/form-data; boundary=x', payload: '--x--', status: 415 },
      { type: 'application/x-www-form-urlencoded', payload: `grant_type=${'a'.repeat(1_100_000)}`, status: 413 },
    ];
    for (const c of cases) {
      const res = await running.app.inject({ method: 'POST', url: '/oauth/token', headers: { 'content-type': c.type }, payload: c.payload });
      expect(res.statusCode, c.type).toBe(c.status);
      expect(res.json()).toEqual({ error: 'invalid_request', error_description: 'The request could not be read' });
    }
  });

  it('a JSON body reaches the core, which refuses it (forms only)', async () => {
    running = await startLoopbackApp({ parser: 'formbody' });
    const res = await running.app.inject({ method: 'POST', url: '/oauth/token', payload: { grant_type: 'client_credentials' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('a wrong method gets the core 405 with Allow; the metadata answers GET and HEAD', async () => {
    running = await startLoopbackApp();
    const get = await running.app.inject({ url: '/oauth/token' });
    expect(get.statusCode).toBe(405);
    expect(get.headers.allow).toBe('POST');
    const metadata = await running.app.inject({ url: '/.well-known/oauth-authorization-server' });
    expect(metadata.statusCode).toBe(200);
    expect(metadata.json()).toMatchObject({ issuer: running.origin, token_endpoint: `${running.origin}/oauth/token` });
    const head = await running.app.inject({ method: 'HEAD', url: '/.well-known/oauth-authorization-server' });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
  });

  it('a forged Host header that would move the origin is a 400, not a 500', async () => {
    running = await startLoopbackApp();
    const res = await running.app.inject({ url: '/.well-known/oauth-authorization-server', headers: { host: 'evil.example/x?' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_request' });
  });
});

describe('the host app is left alone', () => {
  it('without a host parser, host routes still refuse forms (the plugin parser is scoped to its routes)', async () => {
    running = await startLoopbackApp({
      routes: (app) => app.post('/api/form', { config: { auth: false } }, async (request) => ({ body: request.body })),
    });
    const res = await running.app.inject({ method: 'POST', url: '/api/form', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=1' });
    expect(res.statusCode).toBe(415);
  });

  it('with a host parser, host routes get the host parser result', async () => {
    running = await startLoopbackApp({
      parser: 'formbody',
      routes: (app) => app.post('/api/form', { config: { auth: false } }, async (request) => ({ body: request.body })),
    });
    const res = await running.app.inject({ method: 'POST', url: '/api/form', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=1' });
    expect(res.json()).toEqual({ body: { a: '1' } });
  });

  it('unknown paths stay 404 for the host, without credentials being asked for', async () => {
    running = await startLoopbackApp();
    const res = await running.app.inject({ url: '/oauth/nope' });
    expect(res.statusCode).toBe(404);
  });
});

describe('authorization code + PKCE through the mounted server, over HTTP', () => {
  it.each(PARSERS)('login, consent, code, token, API call, refresh, revoke (host parser: %s)', async (parser) => {
    running = await startLoopbackApp({ parser });
    const origin = running.origin;
    const { client, clientSecret } = await running.auth.clients.register({
      name: 'web app',
      type: 'confidential',
      redirectUris: ['https://app.example.com/callback'],
      grantTypes: ['authorization_code', 'refresh_token'],
      scopes: ['read', 'write'],
    });
    const verifier = generateCodeVerifier();
    const authorizeUrl = `${origin}/oauth/authorize?${new URLSearchParams({
      client_id: client.clientId,
      redirect_uri: 'https://app.example.com/callback',
      response_type: 'code',
      scope: 'read',
      state: 'st-1',
      code_challenge: s256CodeChallenge(verifier),
      code_challenge_method: 'S256',
    })}`;
    const browser = new Browser();
    const done = await authorizeInBrowser(browser, authorizeUrl, USER.username, USER.password);
    expect(done.status).toBe(303);
    const callback = new URL(done.headers.get('location')!);
    expect(callback.origin + callback.pathname).toBe('https://app.example.com/callback');
    expect(callback.searchParams.get('state')).toBe('st-1');
    expect(callback.searchParams.get('iss')).toBe(origin);
    const code = callback.searchParams.get('code')!;

    const authorization = basic(client.clientId, clientSecret);
    const tokenRequest = (fields: Record<string, string>) =>
      fetch(`${origin}/oauth/token`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields),
      });
    const wrongVerifier = await tokenRequest({ grant_type: 'authorization_code', code, code_verifier: generateCodeVerifier(), redirect_uri: 'https://app.example.com/callback' });
    expect(wrongVerifier.status).toBe(400);
    expect(await wrongVerifier.json()).toMatchObject({ error: 'invalid_grant' });

    const { code: code2 } = await (async () => {
      const again = await authorizeInBrowser(browser, authorizeUrl, USER.username, USER.password);
      return { code: new URL(again.headers.get('location')!).searchParams.get('code')! };
    })();
    const tokens = await tokenRequest({ grant_type: 'authorization_code', code: code2, code_verifier: verifier, redirect_uri: 'https://app.example.com/callback' });
    expect(tokens.status).toBe(200);
    const set = (await tokens.json()) as { access_token: string; refresh_token: string; scope: string };
    expect(set.scope).toBe('read');

    const me = await fetch(`${origin}/api/me`, { headers: { authorization: `Bearer ${set.access_token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ userId: USER.userId, method: 'access_token', scopes: ['read'] });

    const refreshed = await tokenRequest({ grant_type: 'refresh_token', refresh_token: set.refresh_token });
    expect(refreshed.status).toBe(200);
    const next = (await refreshed.json()) as { access_token: string; refresh_token: string };
    expect(next.refresh_token).not.toBe(set.refresh_token);

    const revoked = await fetch(`${origin}/oauth/revoke`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: next.refresh_token }),
    });
    expect(revoked.status).toBe(200);
    const after = await fetch(`${origin}/api/me`, { headers: { authorization: `Bearer ${next.access_token}` } });
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });
});
