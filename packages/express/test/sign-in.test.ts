/**
 * `signInRoutes(signIn)`: sign users in to another API (a second app that mounts the authorization
 * server), on Express 4 and 5, callback by GET query and POST `form_post`, with and without
 * `express.urlencoded()`; `req.signIn` gets a token or calls the API; logout revokes.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInRoutes } from '../src/index.js';
import { Browser } from './browser.js';
import { type ClientApp, signInAs, startClientApp } from './client-app.js';
import { EXPRESS_VARIANTS } from './express-variants.js';
import { type Provider, startProvider, USERS } from './provider.js';

const MODES = [
  { responseMode: 'query', parseBody: false },
  { responseMode: 'form_post', parseBody: false },
  { responseMode: 'form_post', parseBody: true },
] as const;

for (const variant of EXPRESS_VARIANTS) {
  for (const mode of MODES) {
    describe(`signInRoutes on ${variant.name}, ${mode.responseMode}${mode.parseBody ? ', body parsed' : ''}`, () => {
      let provider: Provider;
      let clientApp: ClientApp;
      beforeAll(async () => {
        provider = await startProvider(variant, { body: 'urlencoded' });
        clientApp = await startClientApp(variant, provider, mode);
      });
      afterAll(async () => {
        await clientApp.close();
        await provider.close();
      });

      it('signs in, calls the API for the session, and logs out revoking the tokens', async () => {
        const browser = new Browser();
        const { login, callback } = await signInAs(browser, clientApp);
        // The sealed transaction is set twice (SameSite=None and Lax): both Set-Cookie headers must survive.
        expect(login.headers.getSetCookie()).toHaveLength(2);
        expect(callback.status).toBe(303);
        expect(callback.headers.get('location')).toBe('/profile');
        // Two transaction copies cleared, one session issued.
        const set = callback.headers.getSetCookie();
        expect(set).toHaveLength(3);
        const session = browser.cookie(clientApp.origin, '__Host-auth_signin');
        expect(session).toBeDefined();
        expect(session!.length).toBeLessThan(300);

        const profile = await browser.fetch(`${clientApp.origin}/profile`);
        expect(profile.status).toBe(200);
        expect(await profile.json()).toEqual({ method: 'access_token', userId: USERS.alice.userId, scopes: ['read'] });

        const { accessToken } = (await (await browser.fetch(`${clientApp.origin}/token`)).json()) as { accessToken: string };
        const direct = await fetch(`${provider.origin}/api/me`, { headers: { authorization: `Bearer ${accessToken}` } });
        expect(direct.status).toBe(200);

        const state = (await (await browser.fetch(`${clientApp.origin}/auth/session`)).json()) as { signedIn: boolean; csrfToken: string };
        expect(state.signedIn).toBe(true);

        const refused = await browser.postForm(`${clientApp.origin}/auth/logout`, { _csrf: 'wrong' });
        expect(refused.status).toBe(403);
        expect((await refused.json()) as object).toMatchObject({ error: 'invalid_request' });

        const logout = await browser.postForm(`${clientApp.origin}/auth/logout`, { _csrf: state.csrfToken }, { origin: clientApp.origin });
        expect(logout.status).toBe(303);
        expect(browser.cookie(clientApp.origin, '__Host-auth_signin')).toBeUndefined();
        const revoked = await fetch(`${provider.origin}/api/me`, { headers: { authorization: `Bearer ${accessToken}` } });
        expect(revoked.status).toBe(401);

        const after = await browser.fetch(`${clientApp.origin}/profile`);
        expect(after.status).toBe(401);
        expect(await after.json()).toMatchObject({ error: 'login_required' });
        expect(await (await browser.fetch(`${clientApp.origin}/auth/session`)).json()).toEqual({ signedIn: false });
      });

      it('refuses a callback that this browser did not start, and passes other paths on', async () => {
        const stranger = new Browser();
        const res =
          mode.responseMode === 'query'
            ? await stranger.fetch(`${clientApp.origin}/auth/callback?code=abc&state=xyz`, { headers: { accept: 'application/json' } })
            : await stranger.postForm(`${clientApp.origin}/auth/callback`, { code: 'abc', state: 'xyz' }, { accept: 'application/json' });
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({ error: 'invalid_request' });
        expect(signInRoutes(clientApp.signIn).name).toBe('signInRoutes');
        const anonymous = await request(clientApp.origin).get('/token');
        expect(anonymous.status).toBe(401);
        expect(anonymous.body.error).toBe('login_required');
      });
    });
  }
}
