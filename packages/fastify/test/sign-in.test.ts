/**
 * Signing users in to another API through the plugin, over real HTTP: a provider (the core's
 * authorization server, mounted by the plugin) and a client app that registers the plugin with
 * `signIn` only. Query and form_post callbacks, the session, `request.signIn`, logout revoking the
 * tokens, and one refresh for concurrent requests of one session after expiry.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import fastifyAuth, { authorizationCode, createSignIn, isAuthError, sendAuthError, type SignIn } from '../src/index.js';
import { authorizeInBrowser, Browser, freePort, submitFormPost } from './browser.js';
import { type LoopbackApp, startLoopbackApp, USER } from './loopback-app.js';

interface ClientApp {
  app: FastifyInstance;
  origin: string;
  signIn: SignIn;
  /** Token endpoint calls by grant type. */
  tokenCalls: Record<string, number>;
  advance(ms: number): void;
}

let provider: LoopbackApp | null = null;
let client: ClientApp | null = null;
afterEach(async () => {
  await client?.app.close();
  await provider?.close();
  client = null;
  provider = null;
});

async function start(responseMode: 'query' | 'form_post', options: { parser?: 'none' | 'formbody' } = {}): Promise<{ provider: LoopbackApp; client: ClientApp }> {
  provider = await startLoopbackApp();
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const registration = await provider.auth.clients.register({
    name: 'client app',
    type: 'confidential',
    redirectUris: [`${origin}/auth/callback`],
    grantTypes: ['authorization_code', 'refresh_token'],
    scopes: ['read'],
  });
  let skew = 0;
  const tokenCalls: Record<string, number> = {};
  const countingFetch: typeof fetch = async (input, init) => {
    if (String(input instanceof Request ? input.url : input).endsWith('/oauth/token')) {
      const grant = new URLSearchParams(String(init?.body ?? '')).get('grant_type') ?? '?';
      tokenCalls[grant] = (tokenCalls[grant] ?? 0) + 1;
    }
    return fetch(input, init);
  };
  const now = () => Date.now() + skew;
  const signIn = createSignIn({
    grant: authorizationCode({
      issuer: provider.origin,
      clientId: registration.client.clientId,
      clientSecret: registration.clientSecret,
      redirectUri: `${origin}/auth/callback`,
      scope: 'read',
      responseMode,
      fetch: countingFetch,
      now,
    }),
    secrets: ['client-app-secret-0123456789-abcdefghijkl'],
    // form_post needs the SameSite=None copy of the transaction cookie, which must be Secure.
    cookie: { secure: responseMode === 'form_post' },
    now,
  });
  const app = Fastify();
  if (options.parser === 'formbody') {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, function hostForm(_req, body, done) {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
  }
  await app.register(fastifyAuth, { signIn });
  app.get('/', async () => ({ home: true }));
  app.get('/profile', async (request) => {
    const res = await request.signIn.fetch(`${provider!.origin}/api/me`);
    return { status: res.status, me: await res.json() };
  });
  app.get('/token', async (request) => ({ token: await request.signIn.getAccessToken(), session: await request.signIn.getSession() }));
  app.setErrorHandler(function renderErrors(error, _request, reply) {
    if (isAuthError(error)) return sendAuthError(reply, error);
    return reply.send(error);
  });
  await app.listen({ port, host: '127.0.0.1' });
  client = { app, origin, signIn, tokenCalls, advance: (ms) => void (skew += ms) };
  return { provider, client };
}

async function signInThroughBrowser(c: ClientApp, responseMode: 'query' | 'form_post'): Promise<Browser> {
  const browser = new Browser();
  const login = await browser.fetch(`${c.origin}/auth/login?returnTo=/profile`);
  expect(login.status).toBe(303);
  const authorizeUrl = login.headers.get('location')!;
  expect(authorizeUrl.startsWith(`${provider!.origin}/oauth/authorize?`)).toBe(true);
  const done = await authorizeInBrowser(browser, authorizeUrl, USER.username, USER.password);
  let callback: Response;
  if (responseMode === 'query') {
    expect(done.status).toBe(303);
    callback = await browser.fetch(done.headers.get('location')!);
  } else {
    expect(done.status).toBe(200);
    callback = await submitFormPost(browser, done);
  }
  expect(callback.status).toBe(303);
  expect(callback.headers.get('location')).toBe('/profile');
  // Session cookie plus the cleared transaction cookie(s): every Set-Cookie must survive the adapter.
  expect(callback.headers.getSetCookie().length).toBe(responseMode === 'form_post' ? 3 : 2);
  return browser;
}

describe.each(['query', 'form_post'] as const)('sign-in with a %s callback', (responseMode) => {
  it('signs in, exposes the session, calls the API with request.signIn, and logout revokes the tokens', async () => {
    const { client: c, provider: p } = await start(responseMode);
    const browser = await signInThroughBrowser(c, responseMode);

    const session = await browser.fetch(`${c.origin}/auth/session`);
    const sessionBody = (await session.json()) as { signedIn: boolean; csrfToken: string; scope: string };
    expect(sessionBody).toMatchObject({ signedIn: true, scope: 'read' });
    expect(JSON.stringify(sessionBody)).not.toMatch(/at_|rt_/);

    const profile = await browser.fetch(`${c.origin}/profile`);
    expect(await profile.json()).toEqual({ status: 200, me: { userId: USER.userId, method: 'access_token', scopes: ['read'] } });
    const { token } = (await (await browser.fetch(`${c.origin}/token`)).json()) as { token: string };
    expect((await p.app.inject({ url: '/api/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);

    const refused = await browser.fetch(`${c.origin}/auth/logout`, { method: 'POST' });
    expect(refused.status).toBe(403);
    const logout = await browser.fetch(`${c.origin}/auth/logout`, { method: 'POST', headers: { 'x-csrf-token': sessionBody.csrfToken } });
    expect(logout.status).toBe(303);
    expect((await (await browser.fetch(`${c.origin}/auth/session`)).json()) as object).toEqual({ signedIn: false });
    // Revoked at the provider, not just forgotten here.
    const after = await p.app.inject({ url: '/api/me', headers: { authorization: `Bearer ${token}` } });
    expect(after.statusCode).toBe(401);
    // The core's error, rendered by the host's error handler through sendAuthError.
    const signedOut = await browser.fetch(`${c.origin}/token`);
    expect(signedOut.status).toBe(401);
    expect(await signedOut.json()).toEqual({ error: 'login_required', error_description: 'Not signed in' });
  });
});

describe('sign-in forms through the adapter', () => {
  it('a form logout with _csrf works whether or not the host parses forms', async () => {
    for (const parser of ['none', 'formbody'] as const) {
      const { client: c } = await start('query', { parser });
      const browser = await signInThroughBrowser(c, 'query');
      const { csrfToken } = (await (await browser.fetch(`${c.origin}/auth/session`)).json()) as { csrfToken: string };
      const logout = await browser.postForm(`${c.origin}/auth/logout`, { _csrf: csrfToken });
      expect(logout.status, parser).toBe(303);
      expect((await (await browser.fetch(`${c.origin}/auth/session`)).json()) as object).toEqual({ signedIn: false });
      await client!.app.close();
      await provider!.close();
      client = null;
      provider = null;
    }
  });

  it('a callback without a started login is a 400 in the standard format, not a 500', async () => {
    const { client: c } = await start('query');
    const res = await c.app.inject({ url: '/auth/callback?code=x&state=y', headers: { accept: 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_request' });
  });
});

describe('one session, concurrent requests after expiry', () => {
  it('refreshes exactly once and keeps the rotated refresh token (express-openid-connect #408)', async () => {
    const { client: c } = await start('query');
    const browser = await signInThroughBrowser(c, 'query');
    expect(c.tokenCalls.refresh_token ?? 0).toBe(0);
    c.advance(2 * 60 * 60 * 1000);
    const responses = await Promise.all(Array.from({ length: 8 }, () => browser.fetch(`${c.origin}/profile`)));
    for (const res of responses) expect(((await res.json()) as { status: number }).status).toBe(200);
    expect(c.tokenCalls.refresh_token).toBe(1);
    // The rotated refresh token was stored: a later expiry refreshes again instead of failing.
    c.advance(2 * 60 * 60 * 1000);
    const later = await browser.fetch(`${c.origin}/profile`);
    expect(((await later.json()) as { status: number }).status).toBe(200);
    expect(c.tokenCalls.refresh_token).toBe(2);
  });
});
