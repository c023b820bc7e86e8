/**
 * RFC 7009 revocation and RFC 7662 introspection: ownership, family revocation, no probing, and the
 * invalidation events verifier caches listen to.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientRecord } from '../../../src/server/store.js';
import { obtainTokens, postForm, startFixture, type Fixture } from './fixture.js';

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

const revoke = (fields: Record<string, string>, as = { id: client.clientId, secret }) => postForm(`${fx.issuer}/oauth/revoke`, fields, as);
const introspect = (fields: Record<string, string>, as = { id: client.clientId, secret }) =>
  postForm(`${fx.issuer}/oauth/introspect`, fields, as);

describe('revocation', () => {
  it('revokes an access token at once and publishes it', async () => {
    const t = await obtainTokens(fx, client, secret);
    const res = await revoke({ token: t.access_token, token_type_hint: 'access_token' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await fx.oauth.verifyAccessToken(t.access_token)).toBeNull();
    expect(fx.events).toContainEqual({ type: 'token', hash: fx.ctx.hash(t.access_token) });
    // The refresh token lives on.
    const refreshed = await postForm(`${fx.issuer}/oauth/token`, { grant_type: 'refresh_token', refresh_token: t.refresh_token }, { id: client.clientId, secret });
    expect(refreshed.status).toBe(200);
  });

  it('revokes the whole family with a refresh token, whatever the (untrusted) hint says', async () => {
    const t = await obtainTokens(fx, client, secret);
    const res = await revoke({ token: t.refresh_token, token_type_hint: 'access_token' });
    expect(res.status).toBe(200);
    expect(await fx.oauth.verifyAccessToken(t.access_token)).toBeNull();
    expect(fx.events.some((e) => e.type === 'family')).toBe(true);
  });

  it("answers 200 for unknown tokens and for another client's tokens, which stay valid", async () => {
    const t = await obtainTokens(fx, client, secret);
    const other = await fx.registerClient();
    expect((await revoke({ token: 'at_unknown' })).status).toBe(200);
    expect((await revoke({ token: t.access_token }, { id: other.client.clientId, secret: other.secret! })).status).toBe(200);
    expect((await revoke({ token: t.refresh_token }, { id: other.client.clientId, secret: other.secret! })).status).toBe(200);
    expect(await fx.oauth.verifyAccessToken(t.access_token)).not.toBeNull();
  });

  it('requires client authentication and the token parameter', async () => {
    const t = await obtainTokens(fx, client, secret);
    const anon = await postForm(`${fx.issuer}/oauth/revoke`, { token: t.access_token });
    expect(anon.status).toBe(401);
    expect((await anon.json()).error).toBe('invalid_client');
    const missing = await revoke({});
    expect([missing.status, (await missing.json()).error]).toEqual([400, 'invalid_request']);
    expect(await fx.oauth.verifyAccessToken(t.access_token)).not.toBeNull();
  });
});

describe('introspection', () => {
  it('describes an active access token and a refresh token of the calling client', async () => {
    const t = await obtainTokens(fx, client, secret);
    const access = await (await introspect({ token: t.access_token })).json();
    expect(access).toMatchObject({ active: true, client_id: client.clientId, sub: 'u-alice', scope: 'read write', token_type: 'Bearer', iss: fx.issuer, business_id: 'b-1' });
    expect(access.exp - access.iat).toBe(3600);
    const refresh = await (await introspect({ token: t.refresh_token })).json();
    expect(refresh).toMatchObject({ active: true, token_type: 'refresh_token' });
  });

  it('answers {"active":false} for junk, expired, revoked and other clients\' tokens', async () => {
    const t = await obtainTokens(fx, client, secret);
    const other = await fx.registerClient();
    for (const token of ['junk', 'at_x', `${t.access_token}x`]) {
      expect(await (await introspect({ token })).json()).toEqual({ active: false });
    }
    expect(await (await introspect({ token: t.access_token }, { id: other.client.clientId, secret: other.secret! })).json()).toEqual({
      active: false,
    });
    fx.advance(3_600_000);
    expect(await (await introspect({ token: t.access_token })).json()).toEqual({ active: false });
    await revoke({ token: t.refresh_token });
    expect(await (await introspect({ token: t.refresh_token })).json()).toEqual({ active: false });
  });

  it('lets listed resource-server clients introspect any token', async () => {
    await fx.close();
    fx = await startFixture({ oauthFor: () => ({ introspectionClients: ['resource-server'] }) });
    const app = await fx.registerClient();
    const rs = await fx.registerClient({ clientId: 'resource-server', grantTypes: ['client_credentials'] });
    const t = await obtainTokens(fx, app.client, app.secret!);
    const res = await introspect({ token: t.access_token }, { id: rs.client.clientId, secret: rs.secret! });
    expect(await res.json()).toMatchObject({ active: true, client_id: app.client.clientId });
  });

  it('refuses public clients (introspection needs client authentication)', async () => {
    const pub = await fx.registerClient({ type: 'public' });
    const res = await postForm(`${fx.issuer}/oauth/introspect`, { token: 'x', client_id: pub.client.clientId });
    expect([res.status, (await res.json()).error]).toEqual([401, 'invalid_client']);
  });
});

describe('verifyAccessToken', () => {
  it('returns null for refresh tokens, malformed values and unknown tokens', async () => {
    const t = await obtainTokens(fx, client, secret);
    expect(await fx.oauth.verifyAccessToken(t.refresh_token)).toBeNull();
    expect(await fx.oauth.verifyAccessToken('')).toBeNull();
    expect(await fx.oauth.verifyAccessToken('a.b.c')).toBeNull();
    expect(await fx.oauth.verifyAccessToken(fx.ctx.newSecret('accessToken'))).toBeNull();
    const p = await fx.oauth.verifyAccessToken(t.access_token);
    const record = await fx.store.findToken(fx.ctx.hash(t.access_token));
    expect(p).toEqual({
      method: 'access_token',
      userId: 'u-alice',
      businessId: 'b-1',
      clientId: client.clientId,
      scopes: ['read', 'write'],
      credentialId: record!.familyId,
      expiresAt: record!.expiresAt,
    });
  });
});
