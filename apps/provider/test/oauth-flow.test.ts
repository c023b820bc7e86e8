/** Login, consent, authorization code with PKCE (query and form_post) through the provider's real pages. */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, basic, type Harness, inputValue, signIn, startHarness, testId, token } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ redirectUris: ['http://127.0.0.1:9999/extra/callback'] });
});
afterAll(async () => {
  await h?.close();
});

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeUrl(clientId: string, redirectUri: string, challenge: string, extra: Record<string, string> = {}) {
  return `${h.url}/oauth/authorize?${new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: 'campaigns:read profile',
    state: 'st<&>"ate',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  })}`;
}

/** From the authorize URL through login and consent to the consent page's approve form. */
async function toConsent(b: Browser, url: string) {
  const start = await b.fetch(url);
  expect(start.status).toBe(303);
  const loginUrl = new URL(start.headers.get('location')!);
  expect(loginUrl.pathname).toBe('/login');
  const loginPage = await (await b.fetch(loginUrl.href)).text();
  expect(testId(loginPage, 'login-client')).toBeTruthy();

  // A wrong password shows the page again, with the same pending request.
  const bad = await b.postForm(`${h.url}/login`, {
    _csrf: inputValue(loginPage, '_csrf'),
    next: inputValue(loginPage, 'next'),
    username: h.creds.user.username,
    password: 'wrong',
  });
  expect(bad.status).toBe(401);
  const badPage = await bad.text();
  expect(testId(badPage, 'login-error')).toBe('Wrong email or password.');

  const login = await b.postForm(`${h.url}/login`, {
    _csrf: inputValue(badPage, '_csrf'),
    next: inputValue(badPage, 'next'),
    username: h.creds.user.username,
    password: h.creds.user.password,
  });
  expect(login.status).toBe(303);
  expect(login.headers.get('location')).toMatch(new RegExp(`^${h.url}/oauth/authorize\\?tx=`));
  const resumed = await b.fetch(login.headers.get('location')!);
  expect(new URL(resumed.headers.get('location')!).pathname).toBe('/consent');
  const consent = await b.fetch(resumed.headers.get('location')!);
  expect(consent.status).toBe(200);
  return consent.text();
}

describe('authorization code + PKCE through the real pages', () => {
  it('query mode with the public client: login, consent, code, tokens, refresh; the second time skips consent', async () => {
    const b = new Browser();
    const { verifier, challenge } = pkce();
    const client = h.creds.publicClient;
    const redirectUri = 'http://127.0.0.1:9999/extra/callback'; // registered by --redirect-uri
    const consentPage = await toConsent(b, authorizeUrl(client.clientId, redirectUri, challenge));
    expect(testId(consentPage, 'consent-client')).toBe('Demo public client (PKCE)');
    expect(consentPage).toContain('<code>campaigns:read</code>');

    const approve = await b.postForm(`${h.url}/consent`, { _csrf: inputValue(consentPage, '_csrf'), next: inputValue(consentPage, 'next'), decision: 'approve' });
    expect(approve.status).toBe(303);
    const callback = await b.fetch(approve.headers.get('location')!);
    const location = new URL(callback.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(redirectUri);
    expect(location.searchParams.get('state')).toBe('st<&>"ate');
    expect(location.searchParams.get('iss')).toBe(h.url);

    const code = location.searchParams.get('code')!;
    const wrongVerifier = await token(h, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: client.clientId, code_verifier: pkce().verifier });
    expect(wrongVerifier.status).toBe(400);
    const { verifier: v2, challenge: c2 } = pkce();
    // The failed redemption consumed the code: run the flow again (consent is remembered now).
    const again = await b.fetch(authorizeUrl(client.clientId, redirectUri, c2));
    const code2 = new URL(again.headers.get('location')!).searchParams.get('code')!;
    expect(code2).toBeTruthy();
    const tokens = await token(h, { grant_type: 'authorization_code', code: code2, redirect_uri: redirectUri, client_id: client.clientId, code_verifier: v2 });
    expect(tokens.status).toBe(200);
    const set = (await tokens.json()) as { access_token: string; refresh_token: string; scope: string };
    expect(set.scope).toBe('campaigns:read profile');
    const me = await fetch(`${h.url}/v1/me`, { headers: { authorization: `Bearer ${set.access_token}` } });
    expect(await me.json()).toMatchObject({ method: 'access_token', userId: 'usr_demo', clientId: client.clientId });
    const refreshed = await token(h, { grant_type: 'refresh_token', refresh_token: set.refresh_token, client_id: client.clientId });
    expect(refreshed.status).toBe(200);
    expect(verifier).not.toBe(v2);
  });

  it('form_post with the next-client confidential client', async () => {
    const b = new Browser();
    const { verifier, challenge } = pkce();
    const client = h.creds.nextClient;
    const consentPage = await toConsent(b, authorizeUrl(client.clientId, client.redirectUri, challenge, { response_mode: 'form_post' }));
    const approve = await b.postForm(`${h.url}/consent`, { _csrf: inputValue(consentPage, '_csrf'), next: inputValue(consentPage, 'next'), decision: 'approve' });
    const post = await b.fetch(approve.headers.get('location')!);
    expect(post.status).toBe(200);
    const html = await post.text();
    expect(html).toContain(`action="${client.redirectUri}"`);
    expect(inputValue(html, 'state')).toBe('st<&>"ate');
    const code = inputValue(html, 'code');
    const tokens = await token(h, { grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, code_verifier: verifier }, basic(client.clientId, client.clientSecret));
    expect(tokens.status).toBe(200);
  });

  it('deny sends access_denied back to the client', async () => {
    const b = new Browser();
    const consentPage = await toConsent(b, authorizeUrl(h.creds.confidentialClient.clientId, h.creds.nextClient.redirectUri, pkce().challenge));
    const deny = await b.postForm(`${h.url}/consent`, { _csrf: inputValue(consentPage, '_csrf'), next: inputValue(consentPage, 'next'), decision: 'deny' });
    const back = await b.fetch(deny.headers.get('location')!);
    expect(new URL(back.headers.get('location')!).searchParams.get('error')).toBe('access_denied');
  });

  it('consent and login forms are CSRF-protected; a forged next is never followed', async () => {
    const b = new Browser();
    const consentPage = await toConsent(
      b,
      authorizeUrl(h.creds.confidentialClient.clientId, h.creds.nextClient.redirectUri, pkce().challenge, { scope: 'campaigns:write' }),
    );
    const noCsrf = await b.postForm(`${h.url}/consent`, { next: inputValue(consentPage, 'next'), decision: 'approve' });
    expect(noCsrf.status).toBe(403);
    const crossSite = await b.postForm(
      `${h.url}/consent`,
      { _csrf: inputValue(consentPage, '_csrf'), next: inputValue(consentPage, 'next'), decision: 'approve' },
      { 'sec-fetch-site': 'cross-site' },
    );
    expect(crossSite.status).toBe(403);
    // Another browser cannot use the pending request, even when signed in.
    const other = new Browser();
    await signIn(other, h);
    const stolen = await other.fetch(`${h.url}/consent?next=${encodeURIComponent(inputValue(consentPage, 'next'))}`);
    expect(stolen.status).toBe(400);

    const fresh = new Browser();
    const loginNoCsrf = await fresh.postForm(`${h.url}/login`, { username: h.creds.user.username, password: h.creds.user.password });
    expect(loginNoCsrf.status).toBe(403);
    const evil = await signIn(fresh, h, h.creds.user.password, 'https://evil.example/phish');
    expect(evil.status).toBe(303);
    expect(evil.headers.get('location')).toBe('/settings');
  });

  it('unknown client or unregistered redirect URI: an error page, never a redirect', async () => {
    const res = await fetch(authorizeUrl(h.creds.publicClient.clientId, 'https://evil.example/cb', pkce().challenge), { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });
});
