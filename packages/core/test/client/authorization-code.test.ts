import { describe, expect, it } from 'vitest';
import { s256CodeChallenge } from '../../src/crypto/pkce.js';
import { authorizationCode, type AuthorizationCodeOptions } from '../../src/client/index.js';
import { CallbackError, ConfigError, OAuthError } from '../../src/errors.js';

const base = {
  authorizationEndpoint: 'https://auth.example.com/oauth2/authorize/',
  tokenEndpoint: 'https://auth.example.com/oauth2/token/',
  issuer: 'https://auth.example.com',
  clientId: 'client-1',
  clientSecret: 'client-secret-1',
  redirectUri: 'https://app.example.com/callback',
  scope: 'read',
} satisfies AuthorizationCodeOptions;

describe('authorization URL (PKCE S256 always)', () => {
  it('carries response_type, client_id, redirect_uri, scope, state and an S256 challenge of a fresh verifier', async () => {
    const grant = authorizationCode({ ...base, responseMode: 'form_post' });
    const a = await grant.createAuthorizationRequest();
    const b = await grant.createAuthorizationRequest();
    const p = a.url.searchParams;
    expect(a.url.origin + a.url.pathname).toBe(base.authorizationEndpoint);
    expect(Object.fromEntries(p)).toMatchObject({
      response_type: 'code',
      client_id: 'client-1',
      redirect_uri: base.redirectUri,
      scope: 'read',
      response_mode: 'form_post',
      code_challenge_method: 'S256',
    });
    expect(p.get('state')).toBe(a.transaction.state);
    expect(p.get('code_challenge')).toBe(s256CodeChallenge(a.transaction.codeVerifier));
    expect(a.transaction.codeVerifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/);
    expect(b.transaction.codeVerifier).not.toBe(a.transaction.codeVerifier);
    expect(b.transaction.state).not.toBe(a.transaction.state);
    expect(a.url.href).not.toContain(a.transaction.codeVerifier);
    expect(a.url.href).not.toContain(base.clientSecret);
  });

  it('does not let extra parameters override the protocol ones (no way to ask for plain)', async () => {
    const grant = authorizationCode(base);
    await expect(grant.createAuthorizationRequest({ extraParams: { code_challenge_method: 'plain' } })).rejects.toBeInstanceOf(ConfigError);
    const { url } = await grant.createAuthorizationRequest({ extraParams: { prompt: 'consent' }, scope: ['read', 'write'] });
    expect(url.searchParams.get('prompt')).toBe('consent');
    expect(url.searchParams.get('scope')).toBe('read write');
    expect(url.searchParams.has('response_mode')).toBe(false);
  });

  it('validates its options at construction', () => {
    expect(() => authorizationCode({ ...base, redirectUri: 'not a url' })).toThrow(ConfigError);
    expect(() => authorizationCode({ ...base, tokenEndpoint: 'http://auth.example.com/token' })).toThrow(/https/);
    // @ts-expect-error a public client cannot use a secret-based method without a secret
    expect(() => authorizationCode({ ...base, clientSecret: undefined, clientAuth: 'client_secret_post' })).toThrow(ConfigError);
  });
});

describe('callback validation', () => {
  const grant = authorizationCode(base);
  const start = () => grant.createAuthorizationRequest();
  const cb = (params: Record<string, string>) => new URL(`${base.redirectUri}?${new URLSearchParams(params)}`);

  it('refuses a state mismatch or a missing state', async () => {
    const { transaction } = await start();
    await expect(grant.handleCallback(cb({ code: 'c', state: 'forged' }), transaction)).rejects.toBeInstanceOf(CallbackError);
    await expect(grant.handleCallback(cb({ code: 'c' }), transaction)).rejects.toThrow(/state/);
  });

  it('checks iss when present, and requires it when the server advertises it', async () => {
    const { transaction } = await start();
    await expect(grant.handleCallback(cb({ code: 'c', state: transaction.state, iss: 'https://evil.example' }), transaction)).rejects.toThrow(/iss/);
    const strict = authorizationCode({ ...base, authorizationResponseIssParameterSupported: true });
    const t2 = (await strict.createAuthorizationRequest()).transaction;
    await expect(strict.handleCallback(cb({ code: 'c', state: t2.state }), t2)).rejects.toThrow(/no iss/);
  });

  it('turns an error callback into a typed OAuthError', async () => {
    const { transaction } = await start();
    const err = await grant
      .handleCallback(cb({ error: 'access_denied', error_description: 'User said no', state: transaction.state }), transaction)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthError);
    expect(err).toMatchObject({ error: 'access_denied', error_description: 'User said no' });
  });

  it('refuses repeated parameters, a missing code and an expired transaction', async () => {
    const { transaction } = await start();
    const doubled = new URLSearchParams([['state', transaction.state], ['state', transaction.state], ['code', 'c']]);
    await expect(grant.handleCallback(doubled, transaction)).rejects.toThrow(/repeats/);
    await expect(grant.handleCallback(cb({ state: transaction.state }), transaction)).rejects.toThrow(/no code/);
    await expect(grant.handleCallback(cb({ code: 'c', state: transaction.state }), { ...transaction, expiresAt: Date.now() - 1 })).rejects.toThrow(/expired/);
  });

  it('reads form_post callbacks from a POST body and refuses them as GET', async () => {
    const formGrant = authorizationCode({ ...base, responseMode: 'form_post' });
    const { transaction } = await formGrant.createAuthorizationRequest();
    const get = new Request(cb({ code: 'c', state: transaction.state }));
    await expect(formGrant.handleCallback(get, transaction)).rejects.toThrow(/POST/);
    const post = new Request(base.redirectUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ code: 'c', state: 'forged' }).toString(),
    });
    await expect(formGrant.handleCallback(post, transaction)).rejects.toThrow(/state/);
    const json = new Request(base.redirectUri, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await expect(formGrant.handleCallback(json, transaction)).rejects.toBeInstanceOf(CallbackError);
  });

  it('an authorization-code manager without tokens asks for re-authentication', async () => {
    await expect(grant.requestToken()).rejects.toMatchObject({ code: 'ERR_REAUTH_REQUIRED', error: 'login_required' });
  });
});
