/**
 * The authorization endpoint: exact redirect URI matching, error pages vs error redirects, PKCE rules,
 * state and iss, form_post escaping, the sealed interaction round-trips and pluggable login/consent.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientRecord } from '../../../src/server/store.js';
import { Browser, USERS, authorizeInBrowser, hiddenField, startFixture, type Fixture } from './fixture.js';

const REGISTERED = 'https://app.example.com/callback';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

let fx: Fixture;
let client: ClientRecord;

beforeEach(async () => {
  fx = await startFixture();
  client = (await fx.registerClient({ redirectUris: [REGISTERED, 'https://app.example.com/cb?tenant=a'] })).client;
});

afterEach(async () => {
  await fx.close();
});

function authorizeUrl(params: Record<string, string>): string {
  return `${fx.issuer}/oauth/authorize?${new URLSearchParams({
    client_id: client.clientId,
    redirect_uri: REGISTERED,
    response_type: 'code',
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
    ...params,
  })}`;
}

/** Every parameter of the error redirect the endpoint sent back. */
async function errorRedirect(url: string): Promise<URLSearchParams> {
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(303);
  const location = new URL(res.headers.get('location')!);
  expect(location.origin + location.pathname).toBe(REGISTERED);
  return location.searchParams;
}

describe('redirect URI matching', () => {
  const variants = [
    'https://app.example.com/callback/',
    'https://app.example.com:443/callback',
    'https://APP.example.com/callback',
    'https://app.example.com/Callback',
    'https://app.example.com/callback?x=1',
    'https://app.example.com/cb?tenant=a&x=1',
    'https://app.example.com/cb?x=1&tenant=a',
    'https://app.example.com/callback#frag',
    'https://app.example.com/callback%2F',
    'https://app.example.com%2Fcallback',
    'https://app.example.com/x/../callback',
    'https://app.example.com/./callback',
    'https://user@app.example.com/callback',
    'https://user:pw@app.example.com/callback',
    'http://app.example.com/callback',
    'https://app.example.com./callback',
    'https://app.example.com/callback ',
    ' https://app.example.com/callback',
    'https://evil.example/callback',
  ];

  it.each(variants)('shows an error page and never redirects for %j', async (variant) => {
    const res = await fetch(authorizeUrl({ redirect_uri: variant }), { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('not registered');
  });

  it('accepts each registered URI exactly, keeping its own query', async () => {
    const res = await authorizeInBrowser(new Browser(), authorizeUrl({ redirect_uri: 'https://app.example.com/cb?tenant=a' }));
    const location = res.headers.get('location')!;
    expect(location.startsWith('https://app.example.com/cb?tenant=a&code=ac_')).toBe(true);
  });

  it('shows an error page for an unknown or revoked client, a missing redirect_uri and a repeated client_id', async () => {
    for (const url of [
      authorizeUrl({ client_id: 'nope' }),
      `${fx.issuer}/oauth/authorize?client_id=${client.clientId}&response_type=code`,
      `${authorizeUrl({})}&client_id=${client.clientId}`,
      `${authorizeUrl({})}&redirect_uri=${encodeURIComponent(REGISTERED)}`,
    ]) {
      const res = await fetch(url, { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
    }
    await fx.store.updateClient(client.clientId, { revokedAt: Date.now() });
    const revoked = await fetch(authorizeUrl({}), { redirect: 'manual' });
    expect(revoked.status).toBe(400);
    expect(revoked.headers.get('location')).toBeNull();
  });
});

describe('errors sent back to the client', () => {
  it('unsupported_response_type, with state and iss', async () => {
    const p = await errorRedirect(authorizeUrl({ response_type: 'token', state: 'xyz' }));
    expect(p.get('error')).toBe('unsupported_response_type');
    expect(p.get('state')).toBe('xyz');
    expect(p.get('iss')).toBe(fx.issuer);
  });

  it('invalid_request for plain PKCE, a missing method, a malformed challenge and a method alone', async () => {
    const cases: Record<string, string>[] = [
      { code_challenge_method: 'plain' },
      { code_challenge: CHALLENGE, code_challenge_method: '' },
      { code_challenge: 'short' },
      { code_challenge: `${CHALLENGE.slice(0, 42)}=` },
      { code_challenge: '', code_challenge_method: 'S256' },
    ];
    for (const params of cases) {
      expect((await errorRedirect(authorizeUrl(params))).get('error')).toBe('invalid_request');
    }
  });

  it('invalid_request when a public client sends no challenge', async () => {
    const pub = (await fx.registerClient({ type: 'public', redirectUris: [REGISTERED] })).client;
    const url = `${fx.issuer}/oauth/authorize?${new URLSearchParams({ client_id: pub.clientId, redirect_uri: REGISTERED, response_type: 'code' })}`;
    const p = await errorRedirect(url);
    expect(p.get('error')).toBe('invalid_request');
    expect(p.get('error_description')).toContain('PKCE');
  });

  it('invalid_request for a duplicated parameter', async () => {
    const p = await errorRedirect(`${authorizeUrl({ state: 'a' })}&scope=read&scope=write`);
    expect(p.get('error')).toBe('invalid_request');
    expect(p.get('error_description')).toBe('Parameter "scope" is repeated');
  });

  it('invalid_scope when a scope is outside the client registration', async () => {
    expect((await errorRedirect(authorizeUrl({ scope: 'read admin' }))).get('error')).toBe('invalid_scope');
  });

  it('unauthorized_client when the client may not use the code grant', async () => {
    await fx.store.updateClient(client.clientId, { grantTypes: ['client_credentials'] });
    expect((await errorRedirect(authorizeUrl({}))).get('error')).toBe('unauthorized_client');
  });

  it('invalid_request for an unknown response_mode', async () => {
    expect((await errorRedirect(authorizeUrl({ response_mode: 'fragment' }))).get('error')).toBe('invalid_request');
  });

  it('never reflects parameter values or control characters in error descriptions', async () => {
    const p = await errorRedirect(`${authorizeUrl({})}&%0d%0aX-Evil=1&%0d%0aX-Evil=2`);
    expect(p.get('error_description')).toBe('A parameter is repeated');
  });
});

describe('successful responses', () => {
  it('returns state untouched and iss (RFC 9207) with the code', async () => {
    const state = 'a b+c/d?e=f&g=%20ü';
    const res = await authorizeInBrowser(new Browser(), authorizeUrl({ state }));
    const p = new URL(res.headers.get('location')!).searchParams;
    expect(p.get('state')).toBe(state);
    expect(p.get('iss')).toBe(fx.issuer);
    expect(p.get('code')).toMatch(/^ac_/);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('renders form_post as an escaped, auto-submitting form under a strict CSP, no-store', async () => {
    const state = `"><script>alert(1)</script>'\u0001`;
    const res = await authorizeInBrowser(new Browser(), authorizeUrl({ state, response_mode: 'form_post' }));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#39;"');
    expect(html).toContain(`action="${REGISTERED}"`);
    expect(html).toMatch(/<script>document\.forms\[0\]\.submit\(\);<\/script>/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain('form-action https://app.example.com');
    expect(hiddenField(html, 'iss')).toBe(fx.issuer);
  });

  it('answers Deny on the consent page with access_denied', async () => {
    const res = await authorizeInBrowser(new Browser(), authorizeUrl({ state: 's' }), 'alice', 'deny');
    const p = new URL(res.headers.get('location')!).searchParams;
    expect(p.get('error')).toBe('access_denied');
    expect(p.get('state')).toBe('s');
  });
});

describe('interaction round-trips', () => {
  it('refuses a tampered tx and a tx opened in another browser', async () => {
    const browser = new Browser();
    const first = await browser.fetch(authorizeUrl({}));
    const login = new URL(first.headers.get('location')!);
    const tx = login.searchParams.get('tx')!;
    const tampered = await browser.fetch(`${fx.issuer}/oauth/authorize?tx=${encodeURIComponent(`${tx.slice(0, -2)}AA`)}`);
    expect(tampered.status).toBe(400);
    const elsewhere = await new Browser().fetch(login.href);
    expect(elsewhere.status).toBe(400);
    expect(await elsewhere.text()).toContain('another browser');
  });

  it('refuses a login POST without the CSRF token or from another site, and a wrong password', async () => {
    const browser = new Browser();
    const first = await browser.fetch(authorizeUrl({}));
    const loginUrl = first.headers.get('location')!;
    const html = await (await browser.fetch(loginUrl)).text();
    const tx = hiddenField(html, 'tx');
    const csrf = hiddenField(html, 'csrf');
    const post = `${fx.issuer}/oauth/login`;
    const noCsrf = await browser.postForm(post, { tx, username: 'alice', password: USERS.alice!.password });
    expect(noCsrf.status).toBe(403);
    const crossSite = await browser.fetch(post, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
      body: new URLSearchParams({ tx, csrf, username: 'alice', password: USERS.alice!.password }),
    });
    expect(crossSite.status).toBe(403);
    const wrong = await browser.postForm(post, { tx, csrf, username: 'alice', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Invalid username or password');
    const unknown = await browser.postForm(post, { tx, csrf, username: 'mallory', password: 'nope' });
    expect(unknown.status).toBe(401);
    const ok = await browser.postForm(post, { tx, csrf, username: 'alice', password: USERS.alice!.password });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toContain('/oauth/authorize?tx=');
  });

  it('escapes the client name on the built-in pages', async () => {
    await fx.store.updateClient(client.clientId, { name: '<img src=x onerror=alert(1)>' });
    const browser = new Browser();
    const first = await browser.fetch(authorizeUrl({}));
    const html = await (await browser.fetch(first.headers.get('location')!)).text();
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
  });

  it('uses the host app for login and consent when configured, and supports prompt=none', async () => {
    await fx.close();
    const consents = new Set<string>();
    fx = await startFixture({
      oauth: {
        interaction: {
          currentUser: (req) => (req.headers.get('x-test-user') ? { userId: req.headers.get('x-test-user')!, businessId: 'b-9' } : null),
          loginUrl: (returnTo) => `https://app.example.com/login?next=${encodeURIComponent(returnTo)}`,
          consentUrl: (returnTo) => `https://app.example.com/consent?next=${encodeURIComponent(returnTo)}`,
          hasConsent: (g) => consents.has(`${g.userId}:${g.clientId}`),
        },
      },
    });
    client = (await fx.registerClient({ redirectUris: [REGISTERED] })).client;
    const browser = new Browser();
    const anon = await browser.fetch(authorizeUrl({}));
    const login = new URL(anon.headers.get('location')!);
    expect(login.origin + login.pathname).toBe('https://app.example.com/login');
    const returnTo = login.searchParams.get('next')!;
    expect(returnTo.startsWith(`${fx.issuer}/oauth/authorize?tx=`)).toBe(true);

    const needConsent = await browser.fetch(returnTo, { headers: { 'x-test-user': 'u-7' } });
    expect(new URL(needConsent.headers.get('location')!).pathname).toBe('/consent');
    // The host's consent page learns what it asks about, only in the browser that started the request.
    const consentReturnTo = new URL(needConsent.headers.get('location')!).searchParams.get('next')!;
    const inBrowser = new Request('https://app.example.com/consent', { headers: { cookie: `oauth_browser=${browser.cookie('oauth_browser')}` } });
    const pending = await fx.oauth.pendingAuthorization(inBrowser, consentReturnTo);
    expect(pending).toMatchObject({ client: { clientId: client.clientId }, redirectUri: REGISTERED, returnTo: consentReturnTo });
    expect(await fx.oauth.pendingAuthorization(new Request('https://app.example.com/consent'), consentReturnTo)).toBeNull();
    expect(await fx.oauth.pendingAuthorization(inBrowser, consentReturnTo.replace(fx.issuer, 'https://evil.example'))).toBeNull();
    expect(await fx.oauth.pendingAuthorization(inBrowser, `${consentReturnTo}&x=1`)).toBeNull();
    expect(await fx.oauth.pendingAuthorization(inBrowser, `${consentReturnTo}x`)).toBeNull();
    expect(await fx.oauth.pendingAuthorization(inBrowser, 'not a url')).toBeNull();
    consents.add(`u-7:${client.clientId}`);
    const done = await browser.fetch(returnTo, { headers: { 'x-test-user': 'u-7' } });
    const code = new URL(done.headers.get('location')!).searchParams.get('code');
    expect(code).toMatch(/^ac_/);

    const none = await browser.fetch(authorizeUrl({ prompt: 'none' }));
    expect(new URL(none.headers.get('location')!).searchParams.get('error')).toBe('login_required');
    // The built-in pages are not served when the host has its own.
    expect(fx.oauth.matches('/oauth/login')).toBe(false);
  });
});
