import { describe, expect, it } from 'vitest';
import { authorizationCode } from '../../src/client/authorization-code-grant.js';
import { createSignIn, memorySignInSessionStore, safeReturnTo } from '../../src/client/sign-in/index.js';
import { ConfigError } from '../../src/errors.js';

const grant = authorizationCode({
  authorizationEndpoint: 'https://as.example.com/authorize',
  tokenEndpoint: 'https://as.example.com/token',
  clientId: 'c1',
  clientSecret: 'client-secret-1',
  redirectUri: 'https://app.example.com/auth/callback',
});
const secrets = ['x'.repeat(32)];

describe('safeReturnTo', () => {
  it('keeps same-origin relative paths and refuses everything that could leave the site', () => {
    expect(safeReturnTo('/a/b?c=1#d')).toBe('/a/b?c=1#d');
    expect(safeReturnTo('/%2F%2Fevil.example')).toBe('/%2F%2Fevil.example');
    for (const bad of ['//evil.example', '/\\evil.example', '\\\\evil', 'https://evil.example', 'evil', '', '/\n/evil', '/ok\u0000', `/${'a'.repeat(2000)}`, 42]) {
      expect(safeReturnTo(bad)).toBeNull();
    }
  });
});

describe('createSignIn options', () => {
  it('refuses bad options at construction', () => {
    expect(() => createSignIn({ grant, secrets: ['short'] })).toThrow(ConfigError);
    // @ts-expect-error not a grant
    expect(() => createSignIn({ grant: {}, secrets })).toThrow(/authorizationCode/);
    expect(() => createSignIn({ grant, secrets, afterLogin: 'https://evil.example' })).toThrow(/afterLogin/);
    expect(() => createSignIn({ grant, secrets, basePath: 'auth/' })).toThrow(/basePath/);
    expect(() => createSignIn({ grant, secrets, paths: { login: '/x', logout: '/x' } })).toThrow(/differ/);
    expect(() => createSignIn({ grant, secrets, cookie: { name: '__Host-s', path: '/app' } })).toThrow(/__Host-/);
    expect(() => createSignIn({ grant, secrets, cookie: { maxAge: 'soon' as never } })).toThrow(/maxAge/);
  });

  it('mounts under basePath with custom paths; non-secure cookies drop the __Host- prefix and the None copy', async () => {
    const signIn = createSignIn({ grant, secrets, basePath: '/account', paths: { callback: '/oauth/cb' }, cookie: { secure: false } });
    expect(signIn.paths).toEqual({ login: '/account/login', callback: '/account/oauth/cb', logout: '/account/logout', session: '/account/session' });
    expect(signIn.matches('/login')).toBe(false);
    const res = await signIn.handle(new Request('http://localhost:3000/account/login'));
    expect(res.status).toBe(303);
    const set = res.headers.getSetCookie();
    expect(set).toHaveLength(1);
    expect(set[0]).toMatch(/^auth_signin_tx_lax=.*; HttpOnly; SameSite=Lax$/);
  });
});

describe('memorySignInSessionStore', () => {
  it('forgets expired records and keeps at most maxEntries, dropping the oldest', async () => {
    let now = 1000;
    const store = memorySignInSessionStore({ now: () => now, maxEntries: 2 });
    const rec = (expiresAt: number) => ({ user: null, scope: null, createdAt: now, expiresAt });
    await store.set('a', rec(5000));
    await store.set('b', rec(2000));
    await store.set('c', rec(5000));
    expect(await store.get('a')).toBeNull();
    expect(await store.get('b')).not.toBeNull();
    now = 2000;
    expect(await store.get('b')).toBeNull();
    expect((await store.get('c'))?.expiresAt).toBe(5000);
  });
});
