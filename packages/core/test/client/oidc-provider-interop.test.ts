import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  authFetch,
  authorizationCode,
  type AuthorizationCodeGrant,
  clientCredentials,
  createTokenManager,
  discover,
} from '../../src/client/index.js';
import { ReauthenticationRequiredError } from '../../src/errors.js';

// Interop with software we did not write: node-oidc-provider on loopback, driven over real HTTP.

const MACHINE_SECRET = 'machine secret/with+special:chars&=%';
const WEB_SECRET = 'web-client-secret-0123456789';
let server: Server;
let issuer: string;
let provider: Provider;
let redirectUri: string;

beforeAll(async () => {
  // oidc-provider announces its development-only defaults on the console; keep the test output clean.
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  vi.spyOn(console, 'info').mockImplementation(() => {});
  // Imported here, after the spies: it warns about the runtime at import time.
  const { default: OidcProvider } = await import('oidc-provider');
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  redirectUri = `${issuer}/app/callback`;
  provider = new OidcProvider(issuer, {
    clients: [
      { client_id: 'machine', client_secret: MACHINE_SECRET, grant_types: ['client_credentials'], redirect_uris: [], response_types: [] },
      {
        client_id: 'web',
        client_secret: WEB_SECRET,
        grant_types: ['authorization_code', 'refresh_token'],
        redirect_uris: [redirectUri],
        token_endpoint_auth_method: 'client_secret_basic',
      },
      {
        client_id: 'public-app',
        grant_types: ['authorization_code', 'refresh_token'],
        redirect_uris: [redirectUri],
        token_endpoint_auth_method: 'none',
      },
    ],
    features: {
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      devInteractions: { enabled: true },
    },
    scopes: ['openid', 'offline_access', 'api:read'],
    issueRefreshToken: async () => true,
    rotateRefreshToken: true,
    pkce: { required: () => true },
  });
  server.on('request', provider.callback());
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  vi.restoreAllMocks();
});

const decodeHtml = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|#39|#x27|#x2F|#47);/g, (_, e: string) =>
    ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", '#x2F': '/', '#47': '/' })[e]!,
  );

/**
 * Play the user agent: follow redirects with a cookie jar, sign in and consent on the devInteractions
 * forms, and stop at the redirect URI. Returns the callback as a Web Request (GET, or POST for form_post).
 */
async function userAgent(start: URL): Promise<Request> {
  const jar = new Map<string, string>();
  let url = start.href;
  let init: RequestInit = {};
  for (let step = 0; step < 20; step++) {
    const headers = new Headers(init.headers);
    if (jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    const location = res.headers.get('location');
    if (location) {
      const next = new URL(location, url);
      if (next.href.startsWith(redirectUri)) return new Request(next);
      url = next.href;
      init = {};
      continue;
    }
    const html = await res.text();
    const action = decodeHtml(/<form[^>]*action="([^"]+)"/.exec(html)?.[1] ?? '');
    if (!action) throw new Error(`unexpected page (HTTP ${res.status}): ${html.slice(0, 200)}`);
    const fields = new URLSearchParams();
    for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)) fields.set(m[1]!, decodeHtml(m[2]!));
    const target = new URL(action, url);
    if (target.href.startsWith(redirectUri)) {
      return new Request(target, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: fields.toString() });
    }
    if (html.includes('name="login"')) {
      fields.set('login', 'alice');
      fields.set('password', 'any');
    }
    url = target.href;
    init = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: fields.toString() };
  }
  throw new Error('too many steps');
}

async function signIn(grant: AuthorizationCodeGrant) {
  const { url, transaction } = await grant.createAuthorizationRequest();
  return grant.handleCallback(await userAgent(url), transaction);
}

describe('interop: node-oidc-provider', () => {
  it('discovers the provider (OpenID configuration fallback) with an exactly matching issuer', async () => {
    const meta = await discover(issuer);
    expect(meta.issuer).toBe(issuer);
    expect(meta.token_endpoint).toBe(`${issuer}/token`);
    expect(meta.authorization_response_iss_parameter_supported).toBe(true);
  });

  it('client credentials with client_secret_basic (form-encoded special characters) and client_secret_post', async () => {
    for (const clientAuth of ['client_secret_basic', 'client_secret_post'] as const) {
      const tokens = createTokenManager(clientCredentials({ issuer, clientId: 'machine', clientSecret: MACHINE_SECRET, clientAuth }));
      const token = await tokens.getAccessToken();
      expect(await provider.ClientCredentials.find(token)).toMatchObject({ clientId: 'machine' });
      expect(await tokens.getAccessToken()).toBe(token);
    }
  });

  it('authorization code + PKCE (confidential, form_post) with iss checked, refresh with rotation, then revocation', async () => {
    let clock = Date.now();
    const grant = authorizationCode({
      issuer,
      clientId: 'web',
      clientSecret: WEB_SECRET,
      redirectUri,
      scope: 'openid api:read',
      responseMode: 'form_post',
      now: () => clock,
    });
    const tokens = createTokenManager(grant, { now: () => clock });
    const first = await signIn(grant);
    expect(first.refreshToken).toBeTruthy();
    expect(first.idToken).toBeTruthy();
    await tokens.set('alice-session', first);
    expect(await tokens.getAccessToken('alice-session')).toBe(first.accessToken);
    expect(await provider.AccessToken.find(first.accessToken)).toMatchObject({ accountId: 'alice', clientId: 'web' });

    clock += 3_700_000;
    const second = await tokens.getTokenSet('alice-session');
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    // Rotation at the provider: the old refresh token is consumed, the new one is live.
    expect((await provider.RefreshToken.find(first.refreshToken!))?.consumed).toBeTruthy();
    expect(await provider.RefreshToken.find(second.refreshToken!)).toBeTruthy();

    const api = authFetch(tokens, { subject: 'alice-session' });
    const userinfo = await api(`${issuer}/me`);
    expect(userinfo.status).toBe(200);
    expect(await userinfo.json()).toMatchObject({ sub: 'alice' });

    await tokens.revoke('alice-session');
    expect(await provider.RefreshToken.find(second.refreshToken!)).toBeUndefined();
    expect(await provider.AccessToken.find(second.accessToken)).toBeUndefined();
    await expect(tokens.getAccessToken('alice-session')).rejects.toBeInstanceOf(ReauthenticationRequiredError);
  });

  it('authorization code + PKCE for a public client (query response mode)', async () => {
    const grant = authorizationCode({ issuer, clientId: 'public-app', redirectUri, scope: 'openid' });
    const set = await signIn(grant);
    expect(await provider.AccessToken.find(set.accessToken)).toMatchObject({ clientId: 'public-app' });
  });

  it('a reused (rotated-out) refresh token is invalid_grant -> the set is cleared, re-authentication required', async () => {
    const grant = authorizationCode({ issuer, clientId: 'web', clientSecret: WEB_SECRET, redirectUri, scope: 'openid' });
    const set = await signIn(grant);
    await grant.refresh(set.refreshToken!);
    const tokens = createTokenManager(grant);
    await tokens.set('bob', { ...set, expiresAt: Date.now() - 1 });
    await expect(tokens.getAccessToken('bob')).rejects.toMatchObject({ code: 'ERR_REAUTH_REQUIRED', error: 'invalid_grant' });
    expect(await tokens.getTokenSet('bob').catch((e: unknown) => e)).toMatchObject({ error: 'login_required' });
  });

  it('a forged state from the provider callback is refused before any code exchange', async () => {
    const grant = authorizationCode({ issuer, clientId: 'web', clientSecret: WEB_SECRET, redirectUri, scope: 'openid' });
    const { url, transaction } = await grant.createAuthorizationRequest();
    const callback = await userAgent(url);
    await expect(grant.handleCallback(callback, { ...transaction, state: 'other' })).rejects.toMatchObject({ code: 'ERR_CALLBACK' });
    const forgedIss = new URL(callback.url);
    forgedIss.searchParams.set('iss', 'https://evil.example');
    await expect(grant.handleCallback(forgedIss, transaction)).rejects.toThrow(/iss/);
    await expect(grant.handleCallback(callback, transaction)).resolves.toMatchObject({ tokenType: 'Bearer' });
  });
});
