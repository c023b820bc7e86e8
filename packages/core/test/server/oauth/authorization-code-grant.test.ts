/**
 * The authorization code grant: single use under concurrency, replay revocation, expiry, redirect URI
 * binding and PKCE (including the RFC 7636 Appendix B vector end to end).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { s256CodeChallenge } from '../../../src/crypto/pkce.js';
import type { ClientRecord } from '../../../src/server/store.js';
import { Browser, authorizeInBrowser, obtainCode, postForm, startFixture, type Fixture } from './fixture.js';

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

function redeem(code: string, extra: Record<string, string | undefined>) {
  const fields: Record<string, string> = { grant_type: 'authorization_code', code, redirect_uri: client.redirectUris[0]! };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete fields[k];
    else fields[k] = v;
  }
  return postForm(`${fx.issuer}/oauth/token`, fields, { id: client.clientId, secret });
}

describe('authorization code grant', () => {
  it('lets exactly one of two concurrent redemptions succeed, and revokes the tokens it issued', async () => {
    const { code, verifier } = await obtainCode(fx, client);
    const [a, b] = await Promise.all([redeem(code, { code_verifier: verifier }), redeem(code, { code_verifier: verifier })]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 400]);
    const winner = a.status === 200 ? a : b;
    const loser = a.status === 200 ? b : a;
    expect(await loser.json()).toMatchObject({ error: 'invalid_grant' });
    const tokens = await winner.json();
    expect(await fx.oauth.verifyAccessToken(tokens.access_token)).toBeNull();
    const refresh = await postForm(
      `${fx.issuer}/oauth/token`,
      { grant_type: 'refresh_token', refresh_token: tokens.refresh_token },
      { id: client.clientId, secret },
    );
    expect(refresh.status).toBe(400);
  });

  it('revokes the winner\'s tokens even when they are stored after the loser revoked the family (race regression)', async () => {
    await fx.close();
    let familyRevoked: () => void = () => {};
    const revoked = new Promise<void>((resolve) => {
      familyRevoked = resolve;
    });
    fx = await startFixture({
      wrapStore: (inner) => ({
        ...inner,
        // Hold the winner's token write until the loser has revoked the family (bounded: 2 s at most).
        async saveTokens(records) {
          if (records.some((r) => r.revokedAt === null)) {
            await Promise.race([revoked, new Promise((r) => setTimeout(r, 2000))]);
          }
          return inner.saveTokens(records);
        },
        async revokeFamily(familyId, now) {
          const n = await inner.revokeFamily(familyId, now);
          familyRevoked();
          return n;
        },
      }),
    });
    const r = await fx.registerClient();
    client = r.client;
    secret = r.secret!;
    const { code, verifier } = await obtainCode(fx, client);
    const [a, b] = await Promise.all([redeem(code, { code_verifier: verifier }), redeem(code, { code_verifier: verifier })]);
    expect([a.status, b.status].sort()).toEqual([200, 400]);
    const tokens = await (a.status === 200 ? a : b).json();
    expect(await fx.oauth.verifyAccessToken(tokens.access_token)).toBeNull();
  });

  it('revokes everything the first redemption issued when the code is used again later', async () => {
    const { code, verifier } = await obtainCode(fx, client);
    const first = await (await redeem(code, { code_verifier: verifier })).json();
    expect(await fx.oauth.verifyAccessToken(first.access_token)).not.toBeNull();
    fx.advance(10_000);
    const second = await redeem(code, { code_verifier: verifier });
    expect(second.status).toBe(400);
    expect(await second.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'The authorization code is invalid, expired or already used',
    });
    expect(await fx.oauth.verifyAccessToken(first.access_token)).toBeNull();
  });

  it('expires codes after 60 s by default', async () => {
    const { code, verifier } = await obtainCode(fx, client);
    fx.advance(60_000);
    const res = await redeem(code, { code_verifier: verifier });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('requires the redirect_uri of the authorization request, exactly', async () => {
    const { code, verifier } = await obtainCode(fx, client);
    const res = await redeem(code, { code_verifier: verifier, redirect_uri: 'https://app.example.com/callback/' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
    const missing = await obtainCode(fx, client);
    expect((await redeem(missing.code, { code_verifier: missing.verifier, redirect_uri: undefined })).status).toBe(400);
  });

  it('refuses a wrong, a missing and a malformed code_verifier', async () => {
    const wrong = await obtainCode(fx, client);
    const r1 = await redeem(wrong.code, { code_verifier: 'a'.repeat(43) });
    expect([r1.status, (await r1.json()).error]).toEqual([400, 'invalid_grant']);
    const missing = await obtainCode(fx, client);
    const r2 = await redeem(missing.code, {});
    expect([r2.status, (await r2.json()).error]).toEqual([400, 'invalid_grant']);
    const malformed = await obtainCode(fx, client);
    for (const bad of ['short', 'a'.repeat(129), `${'a'.repeat(42)}+`]) {
      const r = await redeem(malformed.code, { code_verifier: bad });
      expect([r.status, (await r.json()).error]).toEqual([400, 'invalid_request']);
    }
  });

  it('refuses a code_verifier sent for a code issued without a challenge (PKCE downgrade)', async () => {
    const res = await authorizeInBrowser(
      new Browser(),
      `${fx.issuer}/oauth/authorize?${new URLSearchParams({ client_id: client.clientId, redirect_uri: client.redirectUris[0]!, response_type: 'code' })}`,
    );
    const code = new URL(res.headers.get('location')!).searchParams.get('code')!;
    expect(code).toMatch(/^ac_/);
    const r = await redeem(code, { code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk' });
    expect([r.status, (await r.json()).error]).toEqual([400, 'invalid_grant']);
  });

  it('accepts a confidential client without PKCE when the request had no challenge', async () => {
    const res = await authorizeInBrowser(
      new Browser(),
      `${fx.issuer}/oauth/authorize?${new URLSearchParams({ client_id: client.clientId, redirect_uri: client.redirectUris[0]!, response_type: 'code' })}`,
    );
    const code = new URL(res.headers.get('location')!).searchParams.get('code')!;
    expect((await redeem(code, {})).status).toBe(200);
  });

  it('checks the RFC 7636 Appendix B vector end to end', async () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
    expect(s256CodeChallenge(verifier)).toBe(challenge);
    const res = await authorizeInBrowser(
      new Browser(),
      `${fx.issuer}/oauth/authorize?${new URLSearchParams({
        client_id: client.clientId,
        redirect_uri: client.redirectUris[0]!,
        response_type: 'code',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      })}`,
    );
    const code = new URL(res.headers.get('location')!).searchParams.get('code')!;
    const ok = await redeem(code, { code_verifier: verifier });
    expect(ok.status).toBe(200);
  });

  it("refuses another client's code", async () => {
    const { code, verifier } = await obtainCode(fx, client);
    const other = await fx.registerClient();
    const res = await postForm(
      `${fx.issuer}/oauth/token`,
      { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: client.redirectUris[0]! },
      { id: other.client.clientId, secret: other.secret! },
    );
    expect([res.status, (await res.json()).error]).toEqual([400, 'invalid_grant']);
  });

  it('requires PKCE of public clients at the token endpoint too', async () => {
    const pub = await fx.registerClient({ type: 'public', grantTypes: ['authorization_code'] });
    const { code } = await obtainCode(fx, pub.client);
    const res = await postForm(`${fx.issuer}/oauth/token`, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: pub.client.redirectUris[0]!,
      client_id: pub.client.clientId,
    });
    expect([res.status, (await res.json()).error]).toEqual([400, 'invalid_grant']);
  });
});
