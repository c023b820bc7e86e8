import { afterEach, describe, expect, it } from 'vitest';
import { ReauthenticationRequiredError } from '../../src/errors.js';
import { Browser, deliverCallback, parseFormPost, signInAs, startLogin, startWorld, type World } from './harness.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const SESSION = '__Host-auth_signin';

describe.each(['query', 'form_post'] as const)('full sign-in against the repo authorization server (%s)', (mode) => {
  it('signs in, lands on returnTo, keeps tokens server-side and calls the API as the user', async () => {
    world = await startWorld(mode);
    const browser = new Browser();
    const done = await signInAs(world, browser, '/dashboard?tab=keys');
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/dashboard?tab=keys');

    const jar = browser.jar(world.app.origin);
    const cookie = jar.get(SESSION);
    expect(cookie).toBeDefined();
    // Only a sealed session id: small, and no token inside.
    expect(cookie!.value.length).toBeLessThan(200);
    expect([...jar.keys()]).toEqual([SESSION]);
    const header = browser.cookieHeader(world.app.origin);
    const session = await world.signIn.getSession(header);
    expect(session?.scope).toBe('read');
    const token = await world.signIn.getAccessToken(header);
    expect(cookie!.value).not.toContain(token);
    expect((await world.auth.oauth.verifyAccessToken(token))?.userId).toBe('u-alice');

    const sessionJson = await (await browser.fetch(`${world.app.origin}/auth/session`)).text();
    expect(JSON.parse(sessionJson)).toMatchObject({ signedIn: true, scope: 'read' });
    expect(sessionJson).not.toContain(token);
    const tokenSet = await world.signIn.tokens.getTokenSet(session!.sessionId);
    expect(sessionJson).not.toContain(tokenSet.refreshToken!);

    const whoami = await browser.fetch(`${world.app.origin}/whoami`);
    expect(await whoami.json()).toEqual({ userId: 'u-alice', method: 'access_token' });
  });

  it('refuses a callback from the provider when the login was started in another browser (login CSRF)', async () => {
    world = await startWorld(mode);
    const attacker = new Browser();
    const attackersAnswer = await startLogin(world, attacker);
    const victim = new Browser();
    // The victim has a login of their own in progress: still no match.
    await victim.fetch(`${world.app.origin}/auth/login`);
    const res = await deliverCallback(victim, attackersAnswer);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
    expect(await world.signIn.getSession(victim.cookieHeader(world.app.origin))).toBeNull();
    expect(victim.jar(world.app.origin).has(SESSION)).toBe(false);
  });
});

describe('the transaction cookie', () => {
  it('is set as SameSite=None; Secure plus a Lax copy, sealed, HttpOnly, short-lived', async () => {
    world = await startWorld('form_post');
    const res = await fetch(`${world.app.origin}/auth/login?returnTo=/x`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('response_mode')).toBe('form_post');
    const set = res.headers.getSetCookie();
    expect(set).toHaveLength(2);
    expect(set[0]).toMatch(/^__Host-auth_signin_tx=v1\..*; Max-Age=600; .*Path=\/; Secure; HttpOnly; SameSite=None$/);
    expect(set[1]).toMatch(/^__Host-auth_signin_tx_lax=v1\..*; Secure; HttpOnly; SameSite=Lax$/);
    // Sealed: neither the state nor the verifier can be read from it.
    expect(set[0]).not.toContain(location.searchParams.get('state')!);
  });

  it('form_post succeeds although the cross-site POST carries only the SameSite=None copy', async () => {
    world = await startWorld('form_post');
    const browser = new Browser();
    const answer = await startLogin(world, browser);
    const { action } = parseFormPost(await answer.clone().text());
    // What the browser sends on the cross-site POST: the None copy and nothing Lax.
    expect(browser.cookieHeader(new URL(action).origin, 'cross-site-post')).toMatch(/^__Host-auth_signin_tx=v1\.[^;]+$/);
    expect((await deliverCallback(browser, answer)).status).toBe(303);
  });

  it('a browser that refuses SameSite=None still completes query-mode sign-in with the Lax copy', async () => {
    world = await startWorld('query');
    const browser = new Browser(false);
    const done = await signInAs(world, browser);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/');
    expect(browser.jar(world.app.origin).has(SESSION)).toBe(true);
  });

  it('missing, tampered or expired transaction -> 400 invalid_request, cookies cleared', async () => {
    world = await startWorld('query');
    const w = world;
    const callbackUrl = async (browser: Browser) => (await startLogin(w, browser)).headers.get('location')!;

    const missing = new Browser();
    const url1 = await callbackUrl(missing);
    missing.jars.clear();
    const r1 = await missing.fetch(url1, { headers: { accept: 'application/json' } }, true);
    expect(r1.status).toBe(400);
    expect((await r1.json()).error_description).toMatch(/No sign-in was started/);

    const tampered = new Browser();
    const url2 = await callbackUrl(tampered);
    for (const c of tampered.jar(w.app.origin).values()) c.value = c.value.slice(0, -2) + (c.value.endsWith('A') ? 'BB' : 'AA');
    const r2 = await tampered.fetch(url2, {}, true);
    expect(r2.status).toBe(400);

    const expired = new Browser();
    const url3 = await callbackUrl(expired);
    w.advance(11 * 60_000);
    const r3 = await expired.fetch(url3, {}, true);
    expect(r3.status).toBe(400);
    expect(r3.headers.getSetCookie().every((c) => /Max-Age=0/.test(c))).toBe(true);
    expect(expired.jar(w.app.origin).size).toBe(0);
  });

  it('a state that does not match the transaction -> 400', async () => {
    world = await startWorld('query');
    const browser = new Browser();
    const answer = await startLogin(world, browser);
    const url = new URL(answer.headers.get('location')!);
    url.searchParams.set('state', 'forged-state');
    const res = await browser.fetch(url.href, {}, true);
    expect(res.status).toBe(400);
    expect((await res.json()).error_description).toMatch(/state/);
  });

  it('a callback with the wrong method for the response mode -> 400, an unknown method -> 405', async () => {
    world = await startWorld('form_post');
    const browser = new Browser();
    const answer = await startLogin(world, browser);
    const { action, fields } = parseFormPost(await answer.text());
    const asGet = await browser.fetch(`${action}?${fields}`, {}, true);
    expect(asGet.status).toBe(400);
    const put = await browser.fetch(action, { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST');
  });
});

describe('error callbacks and redirects', () => {
  it('access_denied at consent -> a clear 400 HTML page for a browser, nothing signed in', async () => {
    world = await startWorld('query');
    const browser = new Browser();
    const answer = await startLogin(world, browser, undefined, 'deny');
    expect(new URL(answer.headers.get('location')!).searchParams.get('error')).toBe('access_denied');
    const res = await browser.fetch(answer.headers.get('location')!, { headers: { accept: 'text/html' } }, true);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('access_denied');
    expect(browser.jar(world.app.origin).has(SESSION)).toBe(false);
  });

  it.each(['https://evil.example/', '//evil.example/x', '/\\evil.example', '/\t/evil.example', 'dashboard', 'javascript:alert(1)'])(
    'refuses returnTo=%j (open redirect) with 400 and no transaction',
    async (returnTo) => {
      world ??= await startWorld('query');
      const res = await fetch(`${world.app.origin}/auth/login?returnTo=${encodeURIComponent(returnTo)}`, { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'invalid_request' });
      expect(res.headers.getSetCookie()).toEqual([]);
    },
  );

  it('unknown routes are 404, login by POST is 405, hostile cookies never make a 500', async () => {
    world = await startWorld('query');
    const o = world.app.origin;
    expect((await world.signIn.handle(new Request(`${o}/auth/nope`))).status).toBe(404);
    expect(world.signIn.matches('/auth/nope')).toBe(false);
    expect(world.signIn.matches('/auth/login/')).toBe(true);
    expect((await fetch(`${o}/auth/login`, { method: 'POST', redirect: 'manual' })).status).toBe(405);
    const junk = `${SESSION}=v1.x.y.z; ${SESSION}=a; __Host-auth_signin_tx=${'A'.repeat(5000)}`;
    const session = await fetch(`${o}/auth/session`, { headers: { cookie: junk } });
    expect(await session.json()).toEqual({ signedIn: false });
    const cb = await fetch(`${o}/auth/callback?code=a&state=b`, { headers: { cookie: junk } });
    expect(cb.status).toBe(400);
  });
});

describe('tokens per session', () => {
  it('50 concurrent getAccessToken calls with an expired access token -> exactly 1 refresh, rotated token kept', async () => {
    world = await startWorld('query');
    const browser = new Browser();
    await signInAs(world, browser);
    const header = browser.cookieHeader(world.app.origin);
    const session = (await world.signIn.getSession(header))!;
    const before = await world.signIn.tokens.getTokenSet(session.sessionId);
    expect(world.refreshCount()).toBe(0);

    world.advance(2 * 3600_000);
    const tokens = await Promise.all(Array.from({ length: 50 }, () => world!.signIn.getAccessToken(header)));
    expect(world.refreshCount()).toBe(1);
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(before.accessToken);
    const after = await world.signIn.tokens.getTokenSet(session.sessionId);
    expect(after.refreshToken).toBeDefined();
    expect(after.refreshToken).not.toBe(before.refreshToken);
    // The cookie did not need to change: the same header still reaches the rotated tokens.
    world.advance(2 * 3600_000);
    const again = await world.signIn.getAccessToken(header);
    expect(world.refreshCount()).toBe(2);
    expect(again).not.toBe(tokens[0]);
    expect((await world.auth.oauth.verifyAccessToken(again))?.userId).toBe('u-alice');
  });

  it('a dead refresh token -> ReauthenticationRequiredError and the session is signed out', async () => {
    world = await startWorld('query');
    const browser = new Browser();
    await signInAs(world, browser);
    const header = browser.cookieHeader(world.app.origin);
    const session = (await world.signIn.getSession(header))!;
    const { refreshToken } = await world.signIn.tokens.getTokenSet(session.sessionId);
    const revoke = await fetch(`${world.provider.origin}/oauth/revoke`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${world.clientId}:${world.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ token: refreshToken!, token_type_hint: 'refresh_token' }),
    });
    expect(revoke.status).toBe(200);
    world.advance(2 * 3600_000);
    await expect(world.signIn.getAccessToken(header)).rejects.toBeInstanceOf(ReauthenticationRequiredError);
    expect(await world.signIn.getSession(header)).toBeNull();
    await expect(world.signIn.getAccessToken(header)).rejects.toMatchObject({ error: 'login_required', status: 401 });
    const whoami = await browser.fetch(`${world.app.origin}/whoami`);
    expect(whoami.status).toBe(401);
  });

  it('credentialSource yields the session bearer and refuses a foreign session credential', async () => {
    world = await startWorld('query');
    const browser = new Browser();
    await signInAs(world, browser);
    const source = world.signIn.credentialSource(browser.cookieHeader(world.app.origin));
    const applied = await source.credential();
    expect(applied.headers.Authorization).toMatch(/^Bearer at_/);
    expect(await source.renew({ ...applied, subject: 'another-session' })).toBeNull();
    await expect(world.signIn.credentialSource(null).credential()).rejects.toBeInstanceOf(ReauthenticationRequiredError);
  });
});

describe('logout', () => {
  it('POST with the CSRF token revokes the tokens at the provider, clears the cookie, redirects', async () => {
    world = await startWorld('query', { afterLogout: '/bye' });
    const browser = new Browser();
    await signInAs(world, browser);
    const header = browser.cookieHeader(world.app.origin);
    const session = (await world.signIn.getSession(header))!;
    const { refreshToken, accessToken } = await world.signIn.tokens.getTokenSet(session.sessionId);
    const { csrfToken } = await (await browser.fetch(`${world.app.origin}/auth/session`)).json();
    expect(csrfToken).toBe(session.csrfToken);

    const res = await browser.postForm(`${world.app.origin}/auth/logout`, { _csrf: csrfToken });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/bye');
    expect(browser.jar(world.app.origin).has(SESSION)).toBe(false);
    expect(await world.signIn.getSession(header)).toBeNull();
    expect(await world.auth.oauth.verifyAccessToken(accessToken)).toBeNull();
    const refresh = await fetch(`${world.provider.origin}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${world.clientId}:${world.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken! }),
    });
    expect(refresh.status).toBe(400);
    expect(await refresh.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses POST without the CSRF token or from another origin, and GET unless configured', async () => {
    world = await startWorld('query');
    const browser = new Browser();
    await signInAs(world, browser);
    const header = browser.cookieHeader(world.app.origin);
    const { csrfToken } = (await world.signIn.getSession(header))!;
    const url = `${world.app.origin}/auth/logout`;
    expect((await browser.postForm(url, {})).status).toBe(403);
    expect((await browser.postForm(url, { _csrf: 'forged' })).status).toBe(403);
    const crossSite = await browser.postForm(url, { _csrf: csrfToken }, false, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    const evilOrigin = await browser.fetch(url, { method: 'POST', headers: { 'x-csrf-token': csrfToken, origin: 'https://evil.example' } });
    expect(evilOrigin.status).toBe(403);
    const get = await browser.fetch(url);
    expect(get.status).toBe(405);
    expect(await world.signIn.getSession(header)).not.toBeNull();
    // The header form works too (fetch from the app's own pages).
    const ok = await browser.fetch(url, { method: 'POST', headers: { 'x-csrf-token': csrfToken, origin: world.app.origin } });
    expect(ok.status).toBe(303);
    expect(await world.signIn.getSession(header)).toBeNull();
  });

  it('GET logout works when allowGetLogout is set', async () => {
    world = await startWorld('query', { allowGetLogout: true });
    const browser = new Browser();
    await signInAs(world, browser);
    const header = browser.cookieHeader(world.app.origin);
    const res = await browser.fetch(`${world.app.origin}/auth/logout`);
    expect(res.status).toBe(303);
    expect(await world.signIn.getSession(header)).toBeNull();
  });
});

describe('user and failures of the authorization server', () => {
  it('the user hook decides session.user, shown by /session', async () => {
    world = await startWorld('query', { user: (tokenSet) => ({ sub: 'u-alice', name: 'Alice', scope: tokenSet.scope }) });
    const browser = new Browser();
    await signInAs(world, browser);
    const body = await (await browser.fetch(`${world.app.origin}/auth/session`)).json();
    expect(body.user).toEqual({ sub: 'u-alice', name: 'Alice', scope: 'read' });
  });

  it('an unreachable authorization server at login -> 502 temporarily_unavailable, not a 500', async () => {
    world = await startWorld('query');
    await world.provider.close();
    const res = await fetch(`${world.app.origin}/auth/login`, { redirect: 'manual' });
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ error: 'temporarily_unavailable' });
  });
});
