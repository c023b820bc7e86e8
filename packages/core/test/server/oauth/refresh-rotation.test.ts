/**
 * Idempotent refresh-token rotation with a grace window: concurrent and retried redemptions get the same
 * successor; late reuse and ancestor reuse revoke the whole family.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postForm, obtainTokens, startFixture, type Fixture } from './fixture.js';
import { generateSecret } from '../../../src/crypto/token-format.js';
import { generateAccessTokenSigningKey } from '../../../src/server/oauth/jwt-access-token.js';
import type { AuthStore, ClientRecord } from '../../../src/server/store.js';

let fx: Fixture;
let client: ClientRecord;
let secret: string;
/** Store calls the token endpoint made, by method name. */
let calls: Map<string, number>;

/** Count calls of the refresh grant's store methods (the store keeps working as before). */
function counting(store: AuthStore): AuthStore {
  calls = new Map();
  const counted =
    <A extends unknown[], R>(name: string, method: (...args: A) => R) =>
    (...args: A): R => {
      calls.set(name, (calls.get(name) ?? 0) + 1);
      return method(...args);
    };
  return {
    ...store,
    findToken: counted('findToken', store.findToken),
    rotateRefreshToken: counted('rotateRefreshToken', store.rotateRefreshToken),
    rotateRefreshTokenFor: counted('rotateRefreshTokenFor', store.rotateRefreshTokenFor!),
  };
}

/** A store without the optional `rotateRefreshTokenFor`: the grant reads the parent, then rotates. */
function withoutRotateFor(store: AuthStore): AuthStore {
  const { rotateRefreshTokenFor: _, ...rest } = counting(store);
  return rest;
}

const STORES = [
  ['a store with rotateRefreshTokenFor', counting],
  ['a store without it (findToken, then rotateRefreshToken)', withoutRotateFor],
] as const;

async function register() {
  const r = await fx.registerClient();
  client = r.client;
  secret = r.secret!;
}

afterEach(async () => {
  await fx?.close();
});

function refresh(token: string, extra: Record<string, string> = {}, as = { id: client.clientId, secret }) {
  return postForm(`${fx.issuer}/oauth/token`, { grant_type: 'refresh_token', refresh_token: token, ...extra }, as);
}

describe.each(STORES)('refresh token rotation, on %s', (_store, wrapStore) => {
  beforeEach(async () => {
    fx = await startFixture({ wrapStore });
    await register();
  });

  it('redeems an unchanged scope with one store operation, or the read and the rotation without rotateRefreshTokenFor', async () => {
    const first = await obtainTokens(fx, client, secret);
    calls.clear();
    const res = await refresh(first.refresh_token);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: first.scope });
    expect(Object.fromEntries(calls)).toEqual(
      wrapStore === counting ? { rotateRefreshTokenFor: 1 } : { findToken: 1, rotateRefreshToken: 1 },
    );
    // The successors carry the parent's user, business, family and scopes.
    const parent = await fx.store.findToken(fx.ctx.hash(first.refresh_token));
    for (const token of [body.access_token, body.refresh_token]) {
      expect(await fx.store.findToken(fx.ctx.hash(token))).toMatchObject({
        familyId: parent?.familyId,
        clientId: client.clientId,
        userId: parent?.userId,
        businessId: parent?.businessId,
        scopes: parent?.scopes,
        rotatedAt: null,
        successor: null,
      });
    }
    expect((await fx.oauth.verifyAccessToken(body.access_token))?.userId).toBe(parent?.userId);
  });

  it("refuses another client's already rotated token inside and after the grace window, revoking nothing", async () => {
    const first = await obtainTokens(fx, client, secret);
    const successor = await (await refresh(first.refresh_token)).json();
    const other = await fx.registerClient();
    const as = { id: other.client.clientId, secret: other.secret! };
    const inGrace = await refresh(first.refresh_token, {}, as);
    expect(inGrace.status).toBe(400);
    expect(await inGrace.json()).toMatchObject({ error: 'invalid_grant' });
    fx.advance(5 * 60_000 + 1);
    const afterGrace = await refresh(first.refresh_token, {}, as);
    expect(afterGrace.status).toBe(400);
    expect(await afterGrace.json()).toMatchObject({ error: 'invalid_grant' });
    // Neither answer leaked the pair or revoked the family: the successor still verifies and redeems.
    expect(await fx.oauth.verifyAccessToken(successor.access_token)).not.toBeNull();
    expect((await refresh(successor.refresh_token)).status).toBe(200);
  });

  it('issues time-ordered tokens, and still redeems and verifies tokens of the plain shape an earlier version stored', async () => {
    const first = await obtainTokens(fx, client, secret);
    expect(first.refresh_token).toMatch(/^rt_[0-9A-Za-z]{46}$/);
    expect(first.access_token).toMatch(/^at_[0-9A-Za-z]{46}$/);
    // What an earlier version stored: a 38-character tail, kept under its bare hash.
    const now = fx.ctx.now();
    const record = { familyId: 'fam_plain', clientId: client.clientId, userId: 'u-alice', businessId: 'b-1', scopes: ['read'], createdAt: now, revokedAt: null, rotatedAt: null, successor: null };
    const plainAccess = generateSecret('at');
    const plainRefresh = generateSecret('rt');
    await fx.store.saveTokens([
      { ...record, hash: fx.ctx.hash(plainAccess), type: 'access_token', expiresAt: now + 3_600_000 },
      { ...record, hash: fx.ctx.hash(plainRefresh), type: 'refresh_token', expiresAt: now + 86_400_000 },
    ]);
    // The bare SHA-256 (43 base64url characters) for the plain shape, clock segment first for the new one.
    expect(fx.ctx.hash(plainRefresh)).toHaveLength(43);
    expect(fx.ctx.hash(first.refresh_token).slice(0, 8)).toBe(first.refresh_token.slice(3, 11));
    expect(fx.ctx.hash(first.refresh_token)).toHaveLength(51);
    expect((await fx.oauth.verifyAccessToken(plainAccess))?.userId).toBe('u-alice');
    const rotated = await refresh(plainRefresh);
    expect(rotated.status).toBe(200);
    const body = await rotated.json();
    expect(body.refresh_token).toMatch(/^rt_[0-9A-Za-z]{46}$/);
    expect((await refresh(body.refresh_token)).status).toBe(200);
  });

  it('gives 100 parallel refreshes of one token inside the grace window the identical successor pair', async () => {
    const first = await obtainTokens(fx, client, secret);
    const responses = await Promise.all(Array.from({ length: 100 }, () => refresh(first.refresh_token)));
    expect(responses.map((r) => r.status)).toEqual(Array(100).fill(200));
    const bodies = await Promise.all(responses.map((r) => r.json()));
    const pairs = new Set(bodies.map((b) => `${b.access_token} ${b.refresh_token}`));
    expect(pairs.size).toBe(1);
    expect(bodies[0].refresh_token).not.toBe(first.refresh_token);
    // Exactly one successor pair exists: the successor works, and the family has one live refresh token.
    expect(await fx.oauth.verifyAccessToken(bodies[0].access_token)).not.toBeNull();
    const next = await refresh(bodies[0].refresh_token);
    expect(next.status).toBe(200);
  });

  it('stores a marker naming the key on the parent, not the successor response, and replays a narrowed scope', async () => {
    const first = await obtainTokens(fx, client, secret);
    const a = await (await refresh(first.refresh_token, { scope: 'read' })).json();
    expect(a.scope).toBe('read');
    const parent = await fx.store.findToken(fx.ctx.hash(first.refresh_token));
    expect(parent?.successor).toBe(fx.ctx.successors.marker);
    expect(parent?.successor).not.toContain(a.refresh_token);
    fx.advance(60_000);
    // A retry without the scope parameter still gets exactly what the winning request got.
    const b = await (await refresh(first.refresh_token)).json();
    expect(b).toEqual({ ...a, expires_in: 3600 - 60 });
  });

  it('on a JWT server, seals the successor response onto the parent and replays the identical pair', async () => {
    await fx.close();
    fx = await startFixture({ oauth: { accessTokens: { format: 'jwt', signingKeys: [await generateAccessTokenSigningKey()] } } });
    await register();
    const first = await obtainTokens(fx, client, secret);
    const a = await (await refresh(first.refresh_token)).json();
    expect(a.access_token.split('.')).toHaveLength(3);
    const parent = await fx.store.findToken(fx.ctx.hash(first.refresh_token));
    expect(fx.ctx.successors.isMarker(parent!.successor!)).toBe(false);
    expect(parent!.successor).toMatch(/^v1\./);
    fx.advance(1000);
    const b = await (await refresh(first.refresh_token)).json();
    expect(b.access_token).toBe(a.access_token);
    expect(b.refresh_token).toBe(a.refresh_token);
  });

  it('answers a retry after a lost response (4 minutes later) with the same successor', async () => {
    const first = await obtainTokens(fx, client, secret);
    const a = await (await refresh(first.refresh_token)).json();
    fx.advance(4 * 60_000);
    const b = await (await refresh(first.refresh_token)).json();
    expect(b.access_token).toBe(a.access_token);
    expect(b.refresh_token).toBe(a.refresh_token);
    expect(b.expires_in).toBe(3600 - 240);
  });

  it('revokes the family on reuse after the grace window: the successor access token then fails to verify', async () => {
    const first = await obtainTokens(fx, client, secret);
    const successor = await (await refresh(first.refresh_token)).json();
    expect(await fx.oauth.verifyAccessToken(successor.access_token)).not.toBeNull();
    fx.advance(5 * 60_000 + 1);
    const reuse = await refresh(first.refresh_token);
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toMatchObject({ error: 'invalid_grant' });
    expect(await fx.oauth.verifyAccessToken(successor.access_token)).toBeNull();
    expect(await fx.oauth.verifyAccessToken(first.access_token)).toBeNull();
    expect((await refresh(successor.refresh_token)).status).toBe(400);
    const principal = await fx.store.findToken(fx.ctx.hash(successor.access_token));
    expect(fx.events).toContainEqual({ type: 'family', familyId: principal!.familyId });
  });

  it('revokes the family when an ancestor is replayed after its successor was itself redeemed, even inside the window', async () => {
    const first = await obtainTokens(fx, client, secret);
    const second = await (await refresh(first.refresh_token)).json();
    const third = await (await refresh(second.refresh_token)).json();
    const replay = await refresh(first.refresh_token);
    expect(replay.status).toBe(400);
    expect(await fx.oauth.verifyAccessToken(third.access_token)).toBeNull();
  });

  it('honours the configured grace window (ctx lifetimes)', async () => {
    await fx.close();
    fx = await startFixture({ lifetimes: { refreshGrace: '10s' } });
    await register();
    const first = await obtainTokens(fx, client, secret);
    await refresh(first.refresh_token);
    fx.advance(9_000);
    expect((await refresh(first.refresh_token)).status).toBe(200);
    fx.advance(2_000);
    expect((await refresh(first.refresh_token)).status).toBe(400);
  });

  it('refuses scope widening on refresh (invalid_scope) and allows narrowing', async () => {
    await fx.store.updateClient(client.clientId, { scopes: ['read', 'write', 'admin'] });
    const first = await obtainTokens(fx, client, secret);
    expect(first.scope).toBe('read write admin');
    // Narrowed at the authorization step would be the usual way; here, the refresh narrows.
    const narrowed = await refresh(first.refresh_token, { scope: 'read' });
    expect(narrowed.status).toBe(200);
    const body = await narrowed.json();
    expect(body.scope).toBe('read');
    // The refresh token keeps the original grant, so a later refresh may return to it.
    const back = await refresh(body.refresh_token, { scope: 'read write' });
    expect(back.status).toBe(200);
    const widened = await refresh((await back.json()).refresh_token, { scope: 'read delete' });
    expect(widened.status).toBe(400);
    expect(await widened.json()).toMatchObject({ error: 'invalid_scope' });
  });

  it("treats another client's refresh token as invalid_grant without revoking its family", async () => {
    const first = await obtainTokens(fx, client, secret);
    const other = await fx.registerClient();
    const res = await refresh(first.refresh_token, {}, { id: other.client.clientId, secret: other.secret! });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
    expect(await fx.oauth.verifyAccessToken(first.access_token)).not.toBeNull();
    expect((await refresh(first.refresh_token)).status).toBe(200);
  });

  it('refuses an expired refresh token (48 h by default)', async () => {
    const first = await obtainTokens(fx, client, secret);
    fx.advance(48 * 3_600_000);
    const res = await refresh(first.refresh_token);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });
});
