import { describe, expect, it } from 'vitest';
import { errorResponse, OAuthError } from '../../../src/errors.js';
import { checkRedirectUri } from '../../../src/server/credentials/redirect-uri.js';
import { setup, T0 } from '../verify/fixtures.js';

async function refused(promise: Promise<unknown>, error: string) {
  const caught = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(caught).toBeInstanceOf(OAuthError);
  const r = errorResponse(caught);
  expect(r.status).toBe(400);
  expect(r.body.error).toBe(error);
}

describe('OAuth client registration (seed 004 "Settings -> Apps & API")', () => {
  it('registers a confidential client with a secret and defaults by type', async () => {
    const s = setup();
    const reg = await s.managers.clients.register({
      name: 'Reporting backend',
      type: 'confidential',
      redirectUris: ['https://reports.example.com/callback'],
      scopes: ['read'],
      environment: 'production',
      ownerUserId: 'u1',
      businessId: 'b1',
    });
    expect(reg.client).toEqual({
      clientId: expect.stringMatching(/^[0-9A-Za-z]{24}$/),
      name: 'Reporting backend',
      type: 'confidential',
      redirectUris: ['https://reports.example.com/callback'],
      grantTypes: ['authorization_code', 'refresh_token'],
      scopes: ['read'],
      tokenEndpointAuthMethod: 'client_secret_basic',
      environment: 'production',
      ownerUserId: 'u1',
      businessId: 'b1',
      createdAt: T0,
      revokedAt: null,
    });
    expect(reg.clientSecret).toMatch(/^cs_/);
    expect(reg.secret).toMatchObject({ kind: 'client_secret', clientId: reg.client.clientId, hint: reg.clientSecret.slice(-4) });
    expect(await s.managers.clients.get(reg.client.clientId)).toEqual(reg.client);
    expect(await s.managers.clients.list({ ownerUserId: 'u1' })).toEqual([reg.client]);
  });

  it('registers a public client without a secret, authenticating with none', async () => {
    const s = setup();
    const reg = await s.managers.clients.register({ name: 'Mobile', type: 'public', redirectUris: ['http://127.0.0.1:7777/cb'] });
    expect(reg.clientSecret).toBeUndefined();
    expect(reg.client.tokenEndpointAuthMethod).toBe('none');
    expect(await s.managers.clients.listSecrets(reg.client.clientId)).toEqual([]);
    await refused(s.managers.clients.rotateSecret(reg.client.clientId), 'invalid_client_metadata');
  });

  it('accepts a client-credentials-only confidential client without redirect URIs', async () => {
    const s = setup();
    const reg = await s.managers.clients.register({ name: 'Batch', type: 'confidential', grantTypes: ['client_credentials'] });
    expect(reg.client.redirectUris).toEqual([]);
  });

  it('refuses inconsistent or invalid metadata', async () => {
    const s = setup();
    const ok = { name: 'App', type: 'confidential' as const, redirectUris: ['https://app.example.com/cb'] };
    await refused(s.managers.clients.register({ ...ok, type: 'spa' as never }), 'invalid_client_metadata');
    await refused(s.managers.clients.register({ ...ok, name: '' }), 'invalid_request');
    await refused(s.managers.clients.register({ ...ok, redirectUris: [] }), 'invalid_client_metadata');
    await refused(s.managers.clients.register({ ...ok, grantTypes: [] }), 'invalid_client_metadata');
    await refused(s.managers.clients.register({ ...ok, grantTypes: ['implicit' as never] }), 'invalid_client_metadata');
    await refused(s.managers.clients.register({ ...ok, grantTypes: ['refresh_token'] }), 'invalid_client_metadata');
    await refused(s.managers.clients.register({ ...ok, type: 'public', grantTypes: ['client_credentials'] }), 'invalid_client_metadata');
    await refused(s.managers.clients.register({ ...ok, type: 'public', tokenEndpointAuthMethod: 'client_secret_basic' }), 'invalid_client_metadata');
    await refused(s.managers.clients.register({ ...ok, tokenEndpointAuthMethod: 'none' }), 'invalid_client_metadata');
    await refused(s.managers.clients.register({ ...ok, environment: 'x'.repeat(65) }), 'invalid_client_metadata');
    await refused(s.managers.clients.register({ ...ok, redirectUris: ['https://a.example.com/cb', 'https://a.example.com/cb'] }), 'invalid_client_metadata');
    await refused(s.managers.clients.register({ ...ok, scopes: ['a b'] }), 'invalid_request');
    await refused(s.managers.clients.register({ ...ok, redirectUris: ['https://app.example.com/cb#frag'] }), 'invalid_redirect_uri');
    expect(await s.counted.inner.listClients({ includeRevoked: true })).toEqual([]);
  });

  it('validates redirect URIs: absolute, https or http loopback, no fragment, credentials or wildcards', () => {
    for (const good of [
      'https://app.example.com/callback',
      'https://app.example.com:8443/cb?x=1',
      'http://localhost:3000/cb',
      'http://127.0.0.1/cb',
      'http://[::1]:8080/cb',
    ]) {
      expect(checkRedirectUri(good)).toBe(good);
    }
    for (const bad of [
      '/relative/cb',
      'app.example.com/cb',
      'http://app.example.com/cb',
      'https://app.example.com/cb#',
      'https://app.example.com/cb#section',
      'https://user:pass@app.example.com/cb',
      'https://*.example.com/cb',
      'javascript:alert(1)',
      'com.example.app:/oauth',
      'https://app.example.com/c b',
      'https://app.example.com/cé',
      '',
      `https://app.example.com/${'x'.repeat(2000)}`,
      42,
    ]) {
      expect(() => checkRedirectUri(bad), String(bad)).toThrow(OAuthError);
    }
  });

  it('updates settings with the same rules and keeps the type', async () => {
    const s = setup();
    const { client } = await s.managers.clients.register({ name: 'App', type: 'public', redirectUris: ['https://a.example.com/cb'] });
    const updated = await s.managers.clients.update(client.clientId, {
      name: 'App v2',
      redirectUris: ['https://a.example.com/cb', 'https://a.example.com/cb2'],
      environment: 'staging',
    });
    expect(updated).toMatchObject({ name: 'App v2', type: 'public', environment: 'staging' });
    expect(updated?.redirectUris).toHaveLength(2);
    await refused(s.managers.clients.update(client.clientId, { redirectUris: ['ftp://a.example.com'] }), 'invalid_redirect_uri');
    await refused(s.managers.clients.update(client.clientId, { grantTypes: ['client_credentials'] }), 'invalid_client_metadata');
    await refused(s.managers.clients.update(client.clientId, { redirectUris: [] }), 'invalid_client_metadata');
    expect(await s.managers.clients.update('missing', { name: 'x' })).toBeNull();
  });
});
