/**
 * Regression (express-openid-connect #408): concurrent requests from one session after the access
 * token expired each refreshed with the same refresh token, and the session kept a stale one, so the
 * next refresh failed. Here the provider allows no grace for a reused refresh token (reuse revokes the
 * whole family), so a lost rotation would show up as a signed-out session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from './browser.js';
import { type ClientApp, signInAs, startClientApp } from './client-app.js';
import { EXPRESS_VARIANTS } from './express-variants.js';
import { type Provider, startProvider, USERS } from './provider.js';

const HOUR = 3_600_000;
const CONCURRENT = 12;

for (const variant of EXPRESS_VARIANTS) {
  describe(`express-openid-connect #408 on ${variant.name}: concurrent requests after expiry`, () => {
    let provider: Provider;
    let clientApp: ClientApp;
    beforeAll(async () => {
      provider = await startProvider(variant, { overrides: () => ({ lifetimes: { accessToken: '1h', refreshGrace: '0s' } }) });
      clientApp = await startClientApp(variant, provider, { responseMode: 'query' });
    });
    afterAll(async () => {
      await clientApp.close();
      await provider.close();
    });

    it('refreshes once per expiry and keeps the rotated refresh token', async () => {
      const browser = new Browser();
      const { callback } = await signInAs(browser, clientApp);
      expect(callback.status).toBe(303);
      const cookie = browser.cookieHeader(clientApp.origin)!;
      const session = (await clientApp.signIn.getSession(cookie))!;
      const first = await clientApp.signIn.tokens.getTokenSet(session.sessionId);

      let previousRefresh = first.refreshToken;
      for (let round = 1; round <= 2; round++) {
        clientApp.advance(2 * HOUR);
        const responses = await Promise.all(
          Array.from({ length: CONCURRENT }, () => fetch(`${clientApp.origin}/profile`, { headers: { cookie } })),
        );
        const bodies = await Promise.all(responses.map((r) => r.json()));
        expect(responses.map((r) => r.status)).toEqual(Array(CONCURRENT).fill(200));
        for (const body of bodies) expect(body).toEqual({ method: 'access_token', userId: USERS.alice.userId, scopes: ['read'] });
        expect(clientApp.refreshes()).toBe(round);

        const stored = await clientApp.signIn.tokens.getTokenSet(session.sessionId);
        expect(stored.refreshToken).toBeDefined();
        expect(stored.refreshToken).not.toBe(previousRefresh);
        previousRefresh = stored.refreshToken;
      }
      expect(await clientApp.signIn.getSession(cookie)).not.toBeNull();

      // What the bug would have done: presenting the first (rotated) refresh token again is refused and
      // revokes the family, so the session is signed out at its next refresh.
      const reuse = await fetch(`${provider.origin}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: first.refreshToken!,
          client_id: clientApp.client.clientId,
          client_secret: clientApp.client.clientSecret,
        }),
      });
      expect(reuse.status).toBe(400);
      expect(await reuse.json()).toMatchObject({ error: 'invalid_grant' });
      clientApp.advance(2 * HOUR);
      // The refresh that meets the revoked family signs the session out: the user is told to sign in
      // again (401 login_required), never shown the provider's 400 invalid_grant; later requests agree.
      const failing = await fetch(`${clientApp.origin}/profile`, { headers: { cookie } });
      expect(failing.status).toBe(401);
      expect(await failing.json()).toMatchObject({ error: 'login_required' });
      expect(await clientApp.signIn.getSession(cookie)).toBeNull();
      const signedOut = await fetch(`${clientApp.origin}/profile`, { headers: { cookie } });
      expect(signedOut.status).toBe(401);
      expect(await signedOut.json()).toMatchObject({ error: 'login_required' });
    });
  });
}
