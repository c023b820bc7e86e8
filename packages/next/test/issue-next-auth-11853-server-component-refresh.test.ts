/**
 * next-auth #11853 / #7558: a Server Component cannot set cookies, so a refresh there that stores the
 * rotated refresh token in a cookie loses it, and concurrent renders refresh twice. Here tokens live
 * server-side behind the session id, so `auth()` from a read-only context refreshes once and keeps
 * working.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { APP, createWorld, type World } from './helpers/world.js';

const request = vi.hoisted(() => ({ cookie: null as string | null }));

// What a Server Component gets from Next.js: sealed, read-only headers and cookies (Next's own adapters).
vi.mock('next/headers.js', async () => {
  const load = async <T>(path: string): Promise<T> => {
    const mod = (await import(path)) as { default?: object };
    return { ...mod.default, ...mod } as T;
  };
  type Adapters = typeof import('next/dist/server/web/spec-extension/adapters/headers.js');
  type CookieAdapters = typeof import('next/dist/server/web/spec-extension/adapters/request-cookies.js');
  type Cookies = typeof import('next/dist/server/web/spec-extension/cookies.js');
  const { HeadersAdapter } = await load<Adapters>('next/dist/server/web/spec-extension/adapters/headers.js');
  const { RequestCookiesAdapter } = await load<CookieAdapters>('next/dist/server/web/spec-extension/adapters/request-cookies.js');
  const { RequestCookies } = await load<Cookies>('next/dist/server/web/spec-extension/cookies.js');
  const incoming = () => new Headers(request.cookie === null ? {} : { cookie: request.cookie });
  return {
    headers: async () => HeadersAdapter.seal(incoming()),
    cookies: async () => RequestCookiesAdapter.seal(new RequestCookies(incoming())),
  };
});

describe('auth() from a context that cannot set cookies (Server Component)', () => {
  let world: World;
  beforeEach(async () => {
    world = await createWorld();
    const { parseFormPost } = await import('./helpers/browser.js');
    const page = await world.signInWithBrowser();
    const { action, fields } = parseFormPost(await page.text());
    expect((await world.browser.postForm(action, fields, true)).status).toBe(303);
    request.cookie = world.browser.cookieHeader(APP);
  });
  afterEach(async () => {
    request.cookie = null;
    await world.close();
  });

  it('the mocked context really is read-only', async () => {
    const { cookies, headers } = await import('next/headers.js');
    expect((await headers()).get('cookie')).toBe(request.cookie);
    await expect((async () => (await headers()).set('set-cookie', 'a=b'))()).rejects.toThrow();
    await expect((async () => (await cookies()).set('a', 'b'))()).rejects.toThrow(/Cookies can only be modified/);
  });

  it('refreshes exactly once for concurrent renders, keeps the rotated refresh token, and the next call works', async () => {
    const { nextAuth } = world;
    const cookieBefore = request.cookie;
    const first = await nextAuth.auth();
    expect(first?.accessToken).toBeTruthy();
    expect(world.refreshCount()).toBe(0);

    // Past the access token's expiry and the provider's refresh grace window.
    world.advance(2 * 60 * 60 * 1000);
    const renders = await Promise.all(Array.from({ length: 25 }, () => nextAuth.auth()));
    expect(world.refreshCount()).toBe(1);
    const tokens = new Set(renders.map((s) => s?.accessToken));
    expect(tokens.size).toBe(1);
    const [second] = [...tokens];
    expect(second).toBeTruthy();
    expect(second).not.toBe(first!.accessToken);

    // Nothing had to be written to the browser: the same cookie keeps working, with no new refresh.
    expect(request.cookie).toBe(cookieBefore);
    expect((await nextAuth.auth())?.accessToken).toBe(second);
    expect(world.refreshCount()).toBe(1);

    // The next expiry refreshes with the rotated refresh token. Had the old one been reused after the
    // grace window, the provider would have revoked the whole family and this would be null.
    world.advance(2 * 60 * 60 * 1000);
    const third = await nextAuth.auth();
    expect(third?.accessToken).toBeTruthy();
    expect(third!.accessToken).not.toBe(second);
    expect(world.refreshCount()).toBe(2);
    expect(world.tokenRequests()).toEqual(['authorization_code', 'refresh_token', 'refresh_token']);
    expect(await nextAuth.getAccessToken()).toBe(third!.accessToken);
  });

  it('returns null (and signs the session out) when the provider no longer accepts the refresh token', async () => {
    const stored = await world.nextAuth.signIn.tokens.getTokenSet((await world.nextAuth.signIn.getSession(request.cookie))!.sessionId);
    await world.auth.handle(
      new Request('http://127.0.0.1:4100/oauth/revoke', {
        method: 'POST',
        headers: { authorization: world.clientBasic },
        body: new URLSearchParams({ token: stored!.refreshToken! }),
      }),
    );
    world.advance(2 * 60 * 60 * 1000);
    expect(await world.nextAuth.auth()).toBeNull();
    expect(await world.nextAuth.auth({ accessToken: false })).toBeNull();
  });
});
