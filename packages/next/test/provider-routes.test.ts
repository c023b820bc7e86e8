import { createHash, randomBytes } from 'node:crypto';
import { createAuthServer, memoryAuthStore, type AuthServer } from '@auth/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProviderRoutes, createWithAuth, type ProviderRoutes } from '../src/index.js';
import { Browser, hiddenField } from './helpers/browser.js';

const ISSUER = 'https://api.example.com';
const REDIRECT = 'https://client.example.com/cb';

describe('createProviderRoutes: the authorization server as Route Handlers', () => {
  let auth: AuthServer;
  let routes: ProviderRoutes;
  let browser: Browser;
  let clientId: string;
  let basic: string;

  beforeEach(async () => {
    auth = createAuthServer({
      issuer: ISSUER,
      store: memoryAuthStore(),
      secrets: ['provider-secret-0123456789-abcdefghijklmnop'],
      methods: { bearer: true },
      accounts: {
        authenticate: async (u, p) => (u === 'alice' && p === 'pw-alice-123' ? { userId: 'u_alice', businessId: 'b_1' } : null),
        permissions: async () => ['read', 'write'],
      },
    });
    const registered = await auth.clients.register({
      name: 'client',
      type: 'confidential',
      redirectUris: [REDIRECT],
      grantTypes: ['authorization_code', 'refresh_token'],
      scopes: ['read', 'write'],
    });
    clientId = registered.client.clientId;
    basic = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(registered.clientSecret!)}`).toString('base64')}`;
    routes = createProviderRoutes(auth);
    // The catch-all and the well-known route export the same handlers.
    browser = new Browser((request) => (request.method === 'POST' ? routes.POST(request) : routes.GET(request)));
  });
  afterEach(async () => {
    await auth.close();
  });

  function token(fields: Record<string, string>): Promise<Response> {
    return routes.POST(
      new Request(`${ISSUER}/oauth/token`, {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields),
      }),
    );
  }

  /** Authorize with PKCE through the built-in login and consent pages; returns the code. */
  async function authorize(challenge: string, state: string): Promise<URL> {
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT,
      scope: 'read write',
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    let res = await browser.fetch(`${ISSUER}/oauth/authorize?${query}`, {}, true);
    for (let hop = 0; hop < 8 && res.status === 303; hop++) {
      const location = new URL(res.headers.get('location')!);
      if (location.origin !== ISSUER) return location;
      if (location.pathname === '/oauth/login' || location.pathname === '/oauth/consent') {
        const html = await (await browser.fetch(location.href)).text();
        const fields: Record<string, string> = { tx: hiddenField(html, 'tx'), csrf: hiddenField(html, 'csrf') };
        if (location.pathname === '/oauth/login') Object.assign(fields, { username: 'alice', password: 'pw-alice-123' });
        else fields.decision = 'approve';
        res = await browser.postForm(`${ISSUER}${location.pathname}`, fields);
      } else {
        res = await browser.fetch(location.href);
      }
    }
    throw new Error(`authorization did not come back to the client (status ${res.status})`);
  }

  it('serves metadata on the well-known path', async () => {
    const res = await routes.GET(new Request(`${ISSUER}/.well-known/oauth-authorization-server`));
    expect(res.status).toBe(200);
    const metadata = (await res.json()) as Record<string, unknown>;
    expect(metadata.issuer).toBe(ISSUER);
    expect(metadata.token_endpoint).toBe(`${ISSUER}/oauth/token`);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
  });

  it('runs the authorization code flow with PKCE: login, consent, code, token, refresh, API, revoke', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const back = await authorize(challenge, 'state-123');
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('state-123');
    expect(back.searchParams.get('iss')).toBe(ISSUER);
    const code = back.searchParams.get('code')!;

    const wrongVerifier = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: randomBytes(32).toString('base64url') });
    expect(wrongVerifier.status).toBe(400);
    expect(((await wrongVerifier.json()) as { error: string }).error).toBe('invalid_grant');

    // A fresh code: the failed redemption above burned the first one.
    const second = await authorize(challenge, 'state-456');
    const issued = await token({ grant_type: 'authorization_code', code: second.searchParams.get('code')!, redirect_uri: REDIRECT, code_verifier: verifier });
    expect(issued.status).toBe(200);
    const tokens = (await issued.json()) as { access_token: string; refresh_token: string; token_type: string; scope: string };
    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.scope).toBe('read write');

    const api = createWithAuth(auth)(async (_request, { principal }) => Response.json({ userId: principal.userId, clientId: principal.clientId }));
    const me = await api(new Request(`${ISSUER}/api/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } }));
    expect(await me.json()).toEqual({ userId: 'u_alice', clientId });

    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    expect(refreshed.status).toBe(200);
    const rotated = (await refreshed.json()) as { refresh_token: string };
    expect(rotated.refresh_token).not.toBe(tokens.refresh_token);

    const revoke = await routes.POST(
      new Request(`${ISSUER}/oauth/revoke`, {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: rotated.refresh_token }),
      }),
    );
    expect(revoke.status).toBe(200);
    const after = await token({ grant_type: 'refresh_token', refresh_token: rotated.refresh_token });
    expect(after.status).toBe(400);
  });

  it('answers protocol mistakes with standard 4xx responses', async () => {
    const getToken = await routes.GET(new Request(`${ISSUER}/oauth/token`));
    expect(getToken.status).toBe(405);
    expect(getToken.headers.get('allow')).toBe('POST');
    const unknown = await routes.GET(new Request(`${ISSUER}/oauth/nothing-here`));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'not_found' });
    const badClient = await routes.POST(
      new Request(`${ISSUER}/oauth/token`, {
        method: 'POST',
        headers: { authorization: 'Basic Zm9vOmJhcg==', 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      }),
    );
    expect(badClient.status).toBe(401);
    expect(badClient.headers.get('www-authenticate')).toMatch(/^Basic/);
    const json = await routes.POST(
      new Request(`${ISSUER}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
    );
    expect(json.status).toBe(400);
  });
});
