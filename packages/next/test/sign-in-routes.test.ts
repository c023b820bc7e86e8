import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFormPost } from './helpers/browser.js';
import { APP, createWorld, PROVIDER, USER, type World } from './helpers/world.js';

/** The full browser flow through the exported `{ GET, POST }` of the sign-in catch-all. */
describe('createNextAuth handlers: sign in against the core authorization server served by provider routes', () => {
  let world: World;
  beforeEach(async () => {
    world = await createWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  async function completeSignIn(returnTo?: string): Promise<Response> {
    const page = await world.signInWithBrowser(returnTo);
    expect(page.status).toBe(200);
    const { action, fields } = parseFormPost(await page.text());
    expect(action).toBe(`${APP}/auth/callback`);
    // The authorization server's page auto-submits cross-site: only SameSite=None cookies travel.
    return world.browser.postForm(action, fields, true);
  }

  it('logs in with a form_post callback, serves the session, and the token calls the provider API', async () => {
    const callback = await completeSignIn('/dashboard?tab=1');
    expect(callback.status).toBe(303);
    expect(callback.headers.get('location')).toBe('/dashboard?tab=1');
    const cookie = world.browser.cookieHeader(APP);
    expect(cookie).toMatch(/__Host-auth_signin=/);
    expect(cookie).not.toMatch(/_tx/);

    const session = await world.browser.fetch(`${APP}/auth/session`, { headers: { accept: 'application/json' } });
    expect(session.status).toBe(200);
    const body = (await session.json()) as { signedIn: boolean; scope: string; csrfToken: string };
    expect(body).toMatchObject({ signedIn: true, scope: 'read write' });

    const current = await world.nextAuth.auth({ from: cookie });
    expect(current?.accessToken).toMatch(/\S{20,}/);
    expect(current).not.toHaveProperty('sessionId');
    const me = await world.providerFetch(`${PROVIDER}/api/me`, { headers: { authorization: `Bearer ${current!.accessToken}` } });
    expect(await me.json()).toEqual({ userId: USER.userId, method: 'access_token' });

    const viaFetch = await world.nextAuth.fetch(`${PROVIDER}/api/me`, { from: cookie });
    expect(viaFetch.status).toBe(200);
  });

  it('logout (POST with the CSRF token) revokes the tokens at the provider and clears the cookie', async () => {
    await completeSignIn();
    const cookie = world.browser.cookieHeader(APP);
    const current = await world.nextAuth.auth({ from: cookie });
    const session = (await (await world.browser.fetch(`${APP}/auth/session`, { headers: { accept: 'application/json' } })).json()) as {
      csrfToken: string;
    };
    const logout = await world.browser.postForm(`${APP}/auth/logout`, { _csrf: session.csrfToken });
    expect(logout.status).toBe(303);
    expect(world.browser.cookieHeader(APP)).toBe('');
    const me = await world.providerFetch(`${PROVIDER}/api/me`, { headers: { authorization: `Bearer ${current!.accessToken}` } });
    expect(me.status).toBe(401);
    // The old cookie, replayed, is signed out too: the record is gone server-side.
    expect(await world.nextAuth.auth({ from: cookie })).toBeNull();
  });

  it('refuses logout without the CSRF token (403, session kept)', async () => {
    await completeSignIn();
    const logout = await world.browser.postForm(`${APP}/auth/logout`, {}, false, { accept: 'application/json' });
    expect(logout.status).toBe(403);
    expect(await world.nextAuth.auth({ from: world.browser.cookieHeader(APP), accessToken: false })).not.toBeNull();
  });

  it('answers a callback without a started login with a 400, not a 500', async () => {
    const res = await world.browser.postForm(`${APP}/auth/callback`, { code: 'x', state: 'y' }, true, { accept: 'application/json' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_request');
  });

  it('answers unknown paths under the catch-all with a 404 JSON', async () => {
    const res = await world.nextAuth.handlers.GET(new Request(`${APP}/auth/nope`, { headers: { accept: 'application/json' } }));
    expect(res.status).toBe(404);
  });

  it('returns null from auth() without a cookie, and getAccessToken rejects with 401', async () => {
    expect(await world.nextAuth.auth({ from: '' })).toBeNull();
    await expect(world.nextAuth.getAccessToken('')).rejects.toMatchObject({ status: 401 });
  });
});
