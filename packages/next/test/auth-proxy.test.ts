import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authProxy } from '../src/index.js';
import { parseFormPost } from './helpers/browser.js';
import { APP, createWorld, type World } from './helpers/world.js';

describe('authProxy', () => {
  const proxy = authProxy({ isSignedIn: (cookie) => cookie === 'session=ok', loginPath: '/auth/login', publicPaths: ['/docs', '/'] });
  const strict = authProxy({ isSignedIn: (cookie) => cookie === 'session=ok', loginPath: '/auth/login', publicPaths: ['/docs'] });

  it('redirects a signed-out page request to login with returnTo (307, no-store)', async () => {
    const res = await strict(new Request(`${APP}/dashboard/a?tab=1`));
    expect(res?.status).toBe(307);
    expect(res?.headers.get('location')).toBe(`${APP}/auth/login?returnTo=%2Fdashboard%2Fa%3Ftab%3D1`);
    expect(res?.headers.get('cache-control')).toBe('no-store');
  });

  it('lets signed-in requests, other methods, public paths, the login page and Next internals through', async () => {
    expect(await strict(new Request(`${APP}/dashboard`, { headers: { cookie: 'session=ok' } }))).toBeUndefined();
    expect(await strict(new Request(`${APP}/dashboard`, { method: 'POST' }))).toBeUndefined();
    expect(await strict(new Request(`${APP}/docs/intro`))).toBeUndefined();
    expect(await strict(new Request(`${APP}/auth/login?returnTo=/x`))).toBeUndefined();
    expect(await strict(new Request(`${APP}/_next/static/chunk.js`))).toBeUndefined();
    // Prefix match on segment boundaries only.
    expect((await strict(new Request(`${APP}/docsx`)))?.status).toBe(307);
    // '/' as a public path opens everything.
    expect(await proxy(new Request(`${APP}/anything`))).toBeUndefined();
  });

  it('leaves out a returnTo the login route would refuse', async () => {
    const res = await strict(new Request(`${APP}/${'a'.repeat(2100)}`));
    expect(res?.headers.get('location')).toBe(`${APP}/auth/login`);
  });
});

describe('createNextAuth().proxy(): the sealed session cookie, no store call', () => {
  let world: World;
  beforeEach(async () => {
    world = await createWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('redirects without a valid session cookie and passes with one; sign-in routes stay public', async () => {
    const proxy = world.nextAuth.proxy({ publicPaths: ['/about'] });
    expect((await proxy(new Request(`${APP}/dashboard`)))?.status).toBe(307);
    expect(await proxy(new Request(`${APP}/about`))).toBeUndefined();
    expect(await proxy(new Request(`${APP}/auth/callback?code=x&state=y`))).toBeUndefined();
    expect(await proxy(new Request(`${APP}/auth/session`))).toBeUndefined();

    const page = await world.signInWithBrowser();
    const { action, fields } = parseFormPost(await page.text());
    await world.browser.postForm(action, fields, true);
    const cookie = world.browser.cookieHeader(APP);
    expect(await proxy(new Request(`${APP}/dashboard`, { headers: { cookie } }))).toBeUndefined();

    const forged = cookie.replace(/=([^;]{8})/, '=AAAAAAAA');
    expect((await proxy(new Request(`${APP}/dashboard`, { headers: { cookie: forged } })))?.status).toBe(307);
  });
});
