/**
 * The token endpoint's error contract (RFC 6749 section 5.2), client authentication edge cases, the
 * password grant switch, pre-parsed bodies and path matching.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientRecord } from '../../../src/server/store.js';
import { USERS, postForm, startFixture, type Fixture } from './fixture.js';

let fx: Fixture;
let client: ClientRecord;
let secret: string;

beforeEach(async () => {
  fx = await startFixture();
  const r = await fx.registerClient();
  client = r.client;
  secret = r.secret!;
});

afterEach(async () => {
  await fx.close();
});

const token = () => `${fx.issuer}/oauth/token`;
const basic = () => ({ id: client.clientId, secret });

async function expectError(res: Response, status: number, error: string): Promise<Record<string, string>> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('pragma')).toBe('no-cache');
  const body = await res.json();
  expect(body.error).toBe(error);
  return body;
}

describe('RFC 6749 section 5.2 errors', () => {
  it('invalid_request: missing grant_type, duplicated parameter, JSON body, GET (405), Basic plus client_secret', async () => {
    await expectError(await postForm(token(), { scope: 'read' }, basic()), 400, 'invalid_request');
    const dup = await fetch(token(), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${client.clientId}:${secret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials&scope=read&scope=write',
    });
    expect((await expectError(dup, 400, 'invalid_request')).error_description).toBe('Parameter "scope" is repeated');
    const json = await fetch(token(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: secret }),
    });
    await expectError(json, 400, 'invalid_request');
    const get = await fetch(`${token()}?grant_type=client_credentials`);
    await expectError(get, 405, 'invalid_request');
    expect(get.headers.get('allow')).toBe('POST');
    await expectError(await postForm(token(), { grant_type: 'client_credentials', client_secret: secret }, basic()), 400, 'invalid_request');
  });

  it('invalid_client: 401 with WWW-Authenticate Basic for unknown client, wrong secret, malformed Basic, revoked client or secret', async () => {
    const cases: Response[] = [
      await postForm(token(), { grant_type: 'client_credentials' }, { id: 'unknown', secret }),
      await postForm(token(), { grant_type: 'client_credentials' }, { id: client.clientId, secret: `${secret.slice(0, -1)}${secret.endsWith('x') ? 'y' : 'x'}` }),
      await fetch(token(), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic !!!not-base64' },
        body: 'grant_type=client_credentials',
      }),
      await fetch(token(), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` },
        body: 'grant_type=client_credentials',
      }),
      await fetch(token(), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${client.clientId}:%zz`).toString('base64')}` },
        body: 'grant_type=client_credentials',
      }),
      await postForm(token(), { grant_type: 'client_credentials', client_id: client.clientId }),
      await postForm(token(), { grant_type: 'client_credentials' }),
    ];
    for (const res of cases) {
      const body = await expectError(res, 401, 'invalid_client');
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
      expect(JSON.stringify(body)).not.toContain(secret);
    }
    const [cred] = await fx.store.listCredentials({ clientId: client.clientId });
    await fx.store.updateCredential(cred!.id, { revokedAt: Date.now() });
    await expectError(await postForm(token(), { grant_type: 'client_credentials' }, basic()), 401, 'invalid_client');
    await fx.store.updateCredential(cred!.id, { revokedAt: null });
    await fx.store.updateClient(client.clientId, { revokedAt: Date.now() });
    await expectError(await postForm(token(), { grant_type: 'client_credentials' }, basic()), 401, 'invalid_client');
  });

  it('invalid_grant, unauthorized_client, unsupported_grant_type and invalid_scope', async () => {
    await expectError(await postForm(token(), { grant_type: 'authorization_code', code: 'ac_junk', redirect_uri: 'x' }, basic()), 400, 'invalid_grant');
    await expectError(await postForm(token(), { grant_type: 'password', username: 'alice', password: 'x' }, basic()), 400, 'unsupported_grant_type');
    await expectError(await postForm(token(), { grant_type: 'urn:ietf:params:oauth:grant-type:device_code' }, basic()), 400, 'unsupported_grant_type');
    await expectError(await postForm(token(), { grant_type: 'client_credentials', scope: 'read admin' }, basic()), 400, 'invalid_scope');
    await expectError(await postForm(token(), { grant_type: 'client_credentials', scope: 'bad"scope' }, basic()), 400, 'invalid_scope');
    await fx.store.updateClient(client.clientId, { grantTypes: ['authorization_code'] });
    // Written straight to the store: announce it as the clients manager does, so the warm client cache drops it.
    fx.ctx.invalidation.publish({ type: 'client', clientId: client.clientId });
    await expectError(await postForm(token(), { grant_type: 'client_credentials' }, basic()), 400, 'unauthorized_client');
  });

  it('never reflects control characters or values in error descriptions', async () => {
    const res = await fetch(token(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `client_id=${encodeURIComponent(client.clientId)}&client_secret=${secret}&grant_type=x&%0d%0a%1b=1&%0d%0a%1b=2`,
    });
    const body = await expectError(res, 400, 'invalid_request');
    expect(body.error_description).toBe('A parameter is repeated');
    const huge = await postForm(token(), { grant_type: 'client_credentials', pad: 'x'.repeat(70_000) }, basic());
    expect((await expectError(huge, 400, 'invalid_request')).error_description).toContain('too large');
  });
});

describe('client authentication', () => {
  it('decodes form-urlencoded client ids and secrets inside Basic (RFC 6749 2.3.1)', async () => {
    const odd = await fx.registerClient({ clientId: 'app:one+two é' });
    const res = await postForm(token(), { grant_type: 'client_credentials' }, { id: 'app:one+two é', secret: odd.secret! });
    expect(res.status).toBe(200);
  });

  it('refuses a public client at client_credentials (unauthorized_client)', async () => {
    const pub = await fx.registerClient({ type: 'public', grantTypes: ['client_credentials'] });
    await expectError(await postForm(token(), { grant_type: 'client_credentials', client_id: pub.client.clientId }), 400, 'unauthorized_client');
  });
});

describe('password grant', () => {
  it('is off by default and absent from metadata', async () => {
    expect(fx.oauth.metadata().grant_types_supported).not.toContain('password');
  });

  it('works only for clients that list it, with the same error for unknown user and wrong password', async () => {
    await fx.close();
    fx = await startFixture({ oauth: { grants: { password: true } } });
    const allowed = await fx.registerClient({ grantTypes: ['password', 'refresh_token'] });
    const notAllowed = await fx.registerClient({ grantTypes: ['client_credentials'] });
    expect(fx.oauth.metadata().grant_types_supported).toContain('password');
    const as = { id: allowed.client.clientId, secret: allowed.secret! };
    const ok = await postForm(token(), { grant_type: 'password', username: 'alice', password: USERS.alice!.password, scope: 'read' }, as);
    expect(ok.status).toBe(200);
    const tokens = await ok.json();
    expect(tokens.refresh_token).toMatch(/^rt_/);
    expect(await fx.oauth.verifyAccessToken(tokens.access_token)).toMatchObject({ userId: 'u-alice', businessId: 'b-1' });
    const wrong = await expectError(await postForm(token(), { grant_type: 'password', username: 'alice', password: 'nope' }, as), 400, 'invalid_grant');
    const unknown = await expectError(await postForm(token(), { grant_type: 'password', username: 'mallory', password: 'nope' }, as), 400, 'invalid_grant');
    expect(unknown).toEqual(wrong);
    await expectError(
      await postForm(token(), { grant_type: 'password', username: 'alice', password: USERS.alice!.password }, { id: notAllowed.client.clientId, secret: notAllowed.secret! }),
      400,
      'unauthorized_client',
    );
    await expectError(await postForm(token(), { grant_type: 'password', username: 'alice' }, as), 400, 'invalid_request');
  });
});

describe('handle()', () => {
  it('accepts a body the host framework already parsed (URLSearchParams or a plain object)', async () => {
    const auth = `Basic ${Buffer.from(`${client.clientId}:${secret}`).toString('base64')}`;
    const consumed = () => {
      const req = new Request(token(), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth },
        body: 'grant_type=client_credentials',
      });
      return req;
    };
    const r1 = consumed();
    const parsed = new URLSearchParams(await r1.text());
    expect((await fx.oauth.handle(r1, { body: parsed })).status).toBe(200);
    const r2 = consumed();
    await r2.text();
    expect((await fx.oauth.handle(r2, { body: { grant_type: 'client_credentials' } })).status).toBe(200);
    const dup = await fx.oauth.handle(consumed(), { body: { grant_type: ['client_credentials', 'client_credentials'] } });
    expect(dup.status).toBe(400);
    const r3 = consumed();
    await r3.text();
    const lost = await fx.oauth.handle(r3);
    expect([lost.status, (await lost.json()).error]).toEqual([400, 'invalid_request']);
  });

  it('answers 404 JSON for other paths and matches the configured ones, with or without a base path', async () => {
    const res = await fx.oauth.handle(new Request(`${fx.issuer}/elsewhere`));
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found' });
    expect(fx.oauth.matches('/oauth/token')).toBe(true);
    expect(fx.oauth.matches('/oauth/token/')).toBe(true);
    expect(fx.oauth.matches('/oauth/tokens')).toBe(false);
    expect(fx.oauth.matches('/oauth/jwks')).toBe(false);

    await fx.close();
    fx = await startFixture({ oauth: { basePath: '/auth', paths: { token: '/o/token' } } });
    expect(fx.oauth.matches('/auth/o/token')).toBe(true);
    expect(fx.oauth.matches('/o/token')).toBe(true);
    expect(fx.oauth.matches('/auth/.well-known/oauth-authorization-server')).toBe(true);
    expect(fx.oauth.metadata().token_endpoint).toBe(`${fx.issuer}/auth/o/token`);
    expect(fx.oauth.metadata().issuer).toBe(fx.issuer);
  });
});
