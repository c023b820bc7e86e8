import { afterEach, describe, expect, it } from 'vitest';
import { memorySignInSessionStore, type SignInSessionStore } from '../../src/client/sign-in/index.js';
import { Browser, signInAs, startWorld, type World } from './harness.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const SESSION = '__Host-auth_signin';

describe('signIn.hasSessionCookie: the seal alone, no store call', () => {
  it('is true for an intact session cookie and false for absent, tampered, duplicated or foreign ones', async () => {
    const inner = memorySignInSessionStore();
    let storeCalls = 0;
    const sessionStore: SignInSessionStore = {
      get: (id) => {
        storeCalls++;
        return inner.get(id);
      },
      set: (id, r) => inner.set(id, r),
      delete: (id) => inner.delete(id),
    };
    world = await startWorld('query', { sessionStore });
    const browser = new Browser();
    await signInAs(world, browser);
    const header = browser.cookieHeader(world.app.origin);
    const value = browser.jar(world.app.origin).get(SESSION)!.value;

    storeCalls = 0;
    expect(world.signIn.hasSessionCookie(header)).toBe(true);
    expect(world.signIn.hasSessionCookie(new Headers({ cookie: header }))).toBe(true);
    expect(storeCalls).toBe(0);

    expect(world.signIn.hasSessionCookie(null)).toBe(false);
    expect(world.signIn.hasSessionCookie('')).toBe(false);
    expect(world.signIn.hasSessionCookie(`${SESSION}=${value.slice(0, -4)}AAAA`)).toBe(false);
    expect(world.signIn.hasSessionCookie(`${SESSION}=${value}; ${SESSION}=${value}`)).toBe(false);
    expect(world.signIn.hasSessionCookie(`auth_signin=${value}`)).toBe(false);
    expect(storeCalls).toBe(0);
  });

  it('does not see a session record deleted elsewhere (documented); getSession does', async () => {
    const sessionStore = memorySignInSessionStore();
    world = await startWorld('query', { sessionStore });
    const browser = new Browser();
    await signInAs(world, browser);
    const header = browser.cookieHeader(world.app.origin);
    const session = await world.signIn.getSession(header);
    await sessionStore.delete(session!.sessionId);
    expect(world.signIn.hasSessionCookie(header)).toBe(true);
    expect(await world.signIn.getSession(header)).toBeNull();
  });
});
