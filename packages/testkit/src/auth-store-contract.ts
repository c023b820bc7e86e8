import {
  type AuthStore,
  type RotateRefreshForInput,
  type RotateRefreshInput,
  successorRecord,
  type TokenRecord,
} from '@auth/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storeRecords, uid } from './store-records.js';

/** A store under test and how to dispose of it (close connections, delete files, drop schemas). */
export interface AuthStoreFixture {
  store: AuthStore;
  cleanup(): Promise<void>;
  /**
   * `false` for a store without the optional `rotateRefreshTokenFor`: the contract then checks that the
   * method is absent (the token endpoint falls back to `findToken` + `rotateRefreshToken`) instead of
   * checking its behaviour. Default: the store has it.
   */
  rotateRefreshTokenFor?: false;
}

/** The latest instant a JavaScript `Date` can hold, in epoch milliseconds: still below 2^53. */
const MAX_DATE_MS = 8_640_000_000_000_000;
const T0 = 1_700_000_000_000;
const HOUR = 3_600_000;
const GRACE = 300_000;

const { credential, client, code, token } = storeRecords(() => T0);

/** A successor pair minted by one redeeming caller, as the token endpoint does before calling rotate. */
function rotation(parent: TokenRecord, now: number, overrides: Partial<RotateRefreshInput> = {}): RotateRefreshInput {
  const access = token({ type: 'access_token', familyId: parent.familyId, createdAt: now, expiresAt: now + HOUR });
  const refresh = token({ familyId: parent.familyId, createdAt: now, expiresAt: now + 48 * HOUR });
  return {
    hash: parent.hash,
    now,
    graceMs: GRACE,
    successorRecords: [access, refresh],
    successor: `sealed:${access.hash}:${refresh.hash}`,
    ...overrides,
  };
}

/** The same redemption through `rotateRefreshTokenFor`: the successors carry only what the endpoint minted. */
function rotationFor(parent: TokenRecord, now: number, overrides: Partial<RotateRefreshForInput> = {}): RotateRefreshForInput {
  const access = { hash: uid('tok'), type: 'access_token' as const, createdAt: now, expiresAt: now + HOUR };
  const refresh = { hash: uid('tok'), type: 'refresh_token' as const, createdAt: now, expiresAt: now + 48 * HOUR };
  return {
    hash: parent.hash,
    clientId: parent.clientId,
    now,
    graceMs: GRACE,
    successors: [access, refresh],
    successor: `d1.${access.hash}`,
    ...overrides,
  };
}

/**
 * The behaviour every {@link AuthStore} must have, as vitest suites: CRUD, filters and newest-first order,
 * patch semantics, forward-only touches, single-use codes, idempotent refresh rotation (including under
 * 50 and 100 concurrent callers), revocation, expiry clean-up and exact round trips of every field.
 *
 * `factory` runs before every test and must return an empty store; `cleanup` runs after it. For shared
 * stores, give the store several connections so the concurrency tests race for real.
 *
 * @example
 * ```ts
 * import { memoryAuthStore } from '@auth/core';
 * import { describeAuthStoreContract } from '@auth/testkit';
 *
 * describeAuthStoreContract('memoryAuthStore', async () => ({ store: memoryAuthStore(), cleanup: async () => {} }));
 * ```
 */
export function describeAuthStoreContract(name: string, factory: () => Promise<AuthStoreFixture>): void {
  describe(`AuthStore contract: ${name}`, () => {
    let fixture: AuthStoreFixture | undefined;
    let store: AuthStore;

    beforeEach(async () => {
      fixture = await factory();
      store = fixture.store;
    });
    afterEach(async () => {
      const current = fixture;
      fixture = undefined;
      await current?.cleanup();
    });

    describe('credentials', () => {
      it('round-trips every field exactly, by id and by hash', async () => {
        const full = credential({
          kind: 'client_secret',
          clientId: 'client-7',
          userId: null,
          businessId: null,
          name: 'Clé — production 🔑',
          scopes: [],
          createdAt: 0,
          expiresAt: MAX_DATE_MS,
          revokedAt: MAX_DATE_MS - 1,
          lastUsedAt: Number.MAX_SAFE_INTEGER,
        });
        await store.createCredential(full);
        expect(await store.getCredential(full.id)).toEqual(full);
        expect(await store.findCredentialByHash(full.hash)).toEqual(full);
        const plain = credential();
        await store.createCredential(plain);
        expect(await store.getCredential(plain.id)).toEqual(plain);
      });

      it('returns null for unknown ids and hashes', async () => {
        await store.createCredential(credential());
        expect(await store.getCredential('missing')).toBeNull();
        expect(await store.findCredentialByHash('missing')).toBeNull();
      });

      it('returns revoked and expired credentials from findCredentialByHash', async () => {
        const revoked = credential({ revokedAt: T0 + 1, expiresAt: T0 + 2 });
        await store.createCredential(revoked);
        expect(await store.findCredentialByHash(revoked.hash)).toEqual(revoked);
      });

      it('refuses a duplicate id or a duplicate hash', async () => {
        const first = credential();
        await store.createCredential(first);
        await expect(store.createCredential(credential({ id: first.id }))).rejects.toThrow();
        await expect(store.createCredential(credential({ hash: first.hash }))).rejects.toThrow();
        expect(await store.listCredentials({ includeRevoked: true })).toEqual([first]);
      });

      it('hands out copies: mutating a returned record does not change the store', async () => {
        const rec = credential();
        await store.createCredential(rec);
        const got = (await store.getCredential(rec.id))!;
        got.scopes.push('admin');
        got.name = 'changed';
        expect(await store.getCredential(rec.id)).toEqual(rec);
      });

      it('lists newest first and filters by kind, user, business and client', async () => {
        const a = credential({ createdAt: T0 + 1, userId: 'u1', businessId: 'b1' });
        const b = credential({ createdAt: T0 + 3, userId: 'u1', businessId: 'b2', kind: 'personal_token' });
        const c = credential({ createdAt: T0 + 2, userId: 'u2', businessId: 'b1' });
        const d = credential({ createdAt: T0 + 4, userId: null, businessId: null, clientId: 'cl', kind: 'client_secret' });
        for (const r of [a, b, c, d]) await store.createCredential(r);

        expect(await store.listCredentials({})).toEqual([d, b, c, a]);
        expect(await store.listCredentials({ userId: 'u1' })).toEqual([b, a]);
        expect(await store.listCredentials({ businessId: 'b1' })).toEqual([c, a]);
        expect(await store.listCredentials({ kind: 'api_key' })).toEqual([c, a]);
        expect(await store.listCredentials({ clientId: 'cl' })).toEqual([d]);
        expect(await store.listCredentials({ userId: 'u1', businessId: 'b2', kind: 'personal_token' })).toEqual([b]);
        expect(await store.listCredentials({ userId: 'u1', businessId: 'b1', kind: 'personal_token' })).toEqual([]);
        expect(await store.listCredentials({ userId: 'nobody' })).toEqual([]);
      });

      it('leaves revoked credentials out of lists unless includeRevoked', async () => {
        const live = credential({ createdAt: T0 + 1 });
        const revoked = credential({ createdAt: T0 + 2, revokedAt: T0 + 5 });
        await store.createCredential(live);
        await store.createCredential(revoked);
        expect(await store.listCredentials({})).toEqual([live]);
        expect(await store.listCredentials({ includeRevoked: true })).toEqual([revoked, live]);
      });

      it('patches only the named fields and persists the result', async () => {
        const rec = credential({ expiresAt: T0 + HOUR, lastUsedAt: T0 + 10 });
        await store.createCredential(rec);

        const renamed = await store.updateCredential(rec.id, { name: 'CI key', scopes: ['orders:read'] });
        expect(renamed).toEqual({ ...rec, name: 'CI key', scopes: ['orders:read'] });

        const revoked = await store.updateCredential(rec.id, { revokedAt: T0 + 99, expiresAt: null });
        expect(revoked).toEqual({ ...rec, name: 'CI key', scopes: ['orders:read'], revokedAt: T0 + 99, expiresAt: null });
        expect(await store.getCredential(rec.id)).toEqual(revoked);

        expect(await store.updateCredential(rec.id, {})).toEqual(revoked);
        expect(await store.updateCredential('missing', { name: 'x' })).toBeNull();
        expect(await store.getCredential('missing')).toBeNull();
      });

      it('touches last-used times in a batch, only ever forward', async () => {
        const a = credential();
        const b = credential({ lastUsedAt: T0 + 500 });
        const untouched = credential({ lastUsedAt: T0 + 7 });
        for (const r of [a, b, untouched]) await store.createCredential(r);

        await store.touchCredentials(new Map([[a.id, T0 + 100], [b.id, T0 + 100], ['missing', T0 + 100]]));
        expect((await store.getCredential(a.id))?.lastUsedAt).toBe(T0 + 100);
        expect((await store.getCredential(b.id))?.lastUsedAt).toBe(T0 + 500);

        await store.touchCredentials(new Map([[a.id, T0 + 50]]));
        expect((await store.getCredential(a.id))?.lastUsedAt).toBe(T0 + 100);
        await store.touchCredentials(new Map([[a.id, MAX_DATE_MS], [b.id, T0 + 501]]));
        expect((await store.getCredential(a.id))?.lastUsedAt).toBe(MAX_DATE_MS);
        expect((await store.getCredential(b.id))?.lastUsedAt).toBe(T0 + 501);

        await store.touchCredentials(new Map());
        expect(await store.getCredential(untouched.id)).toEqual(untouched);
      });
    });

    describe('OAuth clients', () => {
      it('round-trips every field exactly; unknown is null; duplicates are refused', async () => {
        const confidential = client();
        const pub = client({
          type: 'public',
          tokenEndpointAuthMethod: 'none',
          redirectUris: [],
          grantTypes: ['authorization_code'],
          scopes: [],
          environment: null,
          ownerUserId: null,
          businessId: null,
          createdAt: MAX_DATE_MS,
          revokedAt: MAX_DATE_MS,
        });
        await store.createClient(confidential);
        await store.createClient(pub);
        expect(await store.getClient(confidential.clientId)).toEqual(confidential);
        expect(await store.getClient(pub.clientId)).toEqual(pub);
        expect(await store.getClient('missing')).toBeNull();
        await expect(store.createClient(client({ clientId: pub.clientId }))).rejects.toThrow();
        expect(await store.getClient(pub.clientId)).toEqual(pub);
      });

      it('lists newest first, by owner and business, revoked only on request', async () => {
        const a = client({ createdAt: T0 + 1, ownerUserId: 'u1', businessId: 'b1' });
        const b = client({ createdAt: T0 + 2, ownerUserId: 'u1', businessId: 'b2' });
        const c = client({ createdAt: T0 + 3, ownerUserId: 'u2', businessId: 'b1', revokedAt: T0 + 4 });
        for (const r of [a, b, c]) await store.createClient(r);

        expect(await store.listClients({})).toEqual([b, a]);
        expect(await store.listClients({ includeRevoked: true })).toEqual([c, b, a]);
        expect(await store.listClients({ ownerUserId: 'u1' })).toEqual([b, a]);
        expect(await store.listClients({ businessId: 'b1' })).toEqual([a]);
        expect(await store.listClients({ businessId: 'b1', includeRevoked: true })).toEqual([c, a]);
        expect(await store.listClients({ ownerUserId: 'u1', businessId: 'b2' })).toEqual([b]);
      });

      it('patches only the named fields and persists the result', async () => {
        const rec = client();
        await store.createClient(rec);
        const patched = await store.updateClient(rec.clientId, {
          redirectUris: ['https://new.example/cb'],
          grantTypes: ['client_credentials'],
          environment: null,
        });
        expect(patched).toEqual({
          ...rec,
          redirectUris: ['https://new.example/cb'],
          grantTypes: ['client_credentials'],
          environment: null,
        });
        const renamed = await store.updateClient(rec.clientId, { name: 'Renamed', scopes: ['a'], revokedAt: T0 + 1 });
        expect(renamed).toEqual({ ...patched, name: 'Renamed', scopes: ['a'], revokedAt: T0 + 1 });
        expect(await store.getClient(rec.clientId)).toEqual(renamed);
        expect(await store.updateClient('missing', { name: 'x' })).toBeNull();
      });
    });

    describe('authorization codes', () => {
      it('consumes a code once; later attempts get reused with the first consumption time', async () => {
        const rec = code();
        await store.saveAuthorizationCode(rec);
        expect(await store.consumeAuthorizationCode(rec.hash, T0 + 5)).toEqual({
          status: 'consumed',
          code: { ...rec, consumedAt: T0 + 5 },
        });
        expect(await store.consumeAuthorizationCode(rec.hash, T0 + 9)).toEqual({
          status: 'reused',
          code: { ...rec, consumedAt: T0 + 5 },
        });
        expect(await store.consumeAuthorizationCode('missing', T0)).toEqual({ status: 'not_found' });
      });

      it('round-trips a code without PKCE or business', async () => {
        const rec = code({ codeChallenge: null, codeChallengeMethod: null, businessId: null, scopes: [] });
        await store.saveAuthorizationCode(rec);
        expect(await store.consumeAuthorizationCode(rec.hash, T0 + 1)).toEqual({
          status: 'consumed',
          code: { ...rec, consumedAt: T0 + 1 },
        });
      });

      it('lets exactly one of 50 concurrent consumers win', async () => {
        const rec = code();
        await store.saveAuthorizationCode(rec);
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) => store.consumeAuthorizationCode(rec.hash, T0 + i)),
        );
        const consumed = results.filter((r) => r.status === 'consumed');
        const reused = results.filter((r) => r.status === 'reused');
        expect(consumed).toHaveLength(1);
        expect(reused).toHaveLength(49);
        const winnerAt = consumed[0]?.status === 'consumed' ? consumed[0].code.consumedAt : undefined;
        for (const r of reused) expect(r.status === 'reused' && r.code.consumedAt).toBe(winnerAt);
      });
    });

    describe('tokens', () => {
      it('round-trips access and refresh tokens exactly; unknown is null', async () => {
        const family = uid('family');
        const access = token({ type: 'access_token', familyId: family, userId: null, businessId: null, scopes: [] });
        const refresh = token({
          familyId: family,
          expiresAt: MAX_DATE_MS,
          rotatedAt: T0 + 1,
          successor: '{"access_token":"x","refresh_token":"y"}',
          revokedAt: T0 + 2,
        });
        await store.saveTokens([access, refresh]);
        await store.saveTokens([]);
        expect(await store.findToken(access.hash)).toEqual(access);
        expect(await store.findToken(refresh.hash)).toEqual(refresh);
        expect(await store.findToken('missing')).toBeNull();
      });

      it('rotates a current refresh token and stores the successor records', async () => {
        const parent = token();
        await store.saveTokens([parent]);
        const input = rotation(parent, T0 + 10);
        expect(await store.rotateRefreshToken(input)).toEqual({
          status: 'rotated',
          token: { ...parent, rotatedAt: T0 + 10, successor: input.successor },
        });
        for (const r of input.successorRecords) expect(await store.findToken(r.hash)).toEqual(r);
        expect(await store.findToken(parent.hash)).toEqual({ ...parent, rotatedAt: T0 + 10, successor: input.successor });
      });

      it('replays the identical successor inside the grace window, up to its last millisecond', async () => {
        const parent = token();
        await store.saveTokens([parent]);
        const first = rotation(parent, T0 + 10);
        await store.rotateRefreshToken(first);

        const retry = rotation(parent, T0 + 10 + GRACE);
        const replay = await store.rotateRefreshToken(retry);
        expect(replay).toEqual({
          status: 'replayed',
          token: { ...parent, rotatedAt: T0 + 10, successor: first.successor },
          successor: first.successor,
        });
        for (const r of retry.successorRecords) expect(await store.findToken(r.hash)).toBeNull();
      });

      it('reports reuse after the grace window', async () => {
        const parent = token();
        await store.saveTokens([parent]);
        const first = rotation(parent, T0 + 10);
        await store.rotateRefreshToken(first);
        const late = rotation(parent, T0 + 11 + GRACE);
        expect(await store.rotateRefreshToken(late)).toEqual({
          status: 'reused',
          token: { ...parent, rotatedAt: T0 + 10, successor: first.successor },
        });
        for (const r of late.successorRecords) expect(await store.findToken(r.hash)).toBeNull();
      });

      it('refuses expired, revoked, unknown and access tokens without storing anything', async () => {
        const expired = token({ expiresAt: T0 + 100 });
        const revoked = token({ revokedAt: T0 + 1 });
        const access = token({ type: 'access_token' });
        await store.saveTokens([expired, revoked, access]);

        const atExpiry = rotation(expired, T0 + 100);
        expect(await store.rotateRefreshToken(atExpiry)).toEqual({ status: 'invalid', token: expired });
        const onRevoked = rotation(revoked, T0 + 10);
        expect(await store.rotateRefreshToken(onRevoked)).toEqual({ status: 'invalid', token: revoked });
        const onAccess = rotation(access, T0 + 10);
        expect(await store.rotateRefreshToken(onAccess)).toEqual({ status: 'invalid', token: access });
        const unknown = rotation(token(), T0 + 10);
        expect(await store.rotateRefreshToken(unknown)).toEqual({ status: 'invalid', token: null });

        for (const input of [atExpiry, onRevoked, onAccess, unknown]) {
          for (const r of input.successorRecords) expect(await store.findToken(r.hash)).toBeNull();
        }
        expect(await store.findToken(expired.hash)).toEqual(expired);
        expect(await store.findToken(access.hash)).toEqual(access);
      });

      it('treats a rotated token that was then revoked as invalid, not replayable', async () => {
        const parent = token();
        await store.saveTokens([parent]);
        await store.rotateRefreshToken(rotation(parent, T0 + 10));
        await store.revokeFamily(parent.familyId, T0 + 20);
        const result = await store.rotateRefreshToken(rotation(parent, T0 + 30));
        expect(result.status).toBe('invalid');
      });

      it('rotates once under 100 concurrent redemptions; the 99 others replay the same successor', async () => {
        const parent = token();
        await store.saveTokens([parent]);
        const inputs = Array.from({ length: 100 }, () => rotation(parent, T0 + 10));
        const results = await Promise.all(inputs.map((input) => store.rotateRefreshToken(input)));

        const winners = results.flatMap((r, i) => (r.status === 'rotated' ? [inputs[i]!] : []));
        expect(winners).toHaveLength(1);
        const winner = winners[0]!;
        const replayed = results.filter((r) => r.status === 'replayed');
        expect(replayed).toHaveLength(99);
        for (const r of replayed) expect(r.successor).toBe(winner.successor);

        for (const input of inputs) {
          for (const r of input.successorRecords) {
            expect(await store.findToken(r.hash)).toEqual(input === winner ? r : null);
          }
        }
        // Parent + the winner's pair, each stored exactly once.
        expect(await store.revokeFamily(parent.familyId, T0 + 20)).toBe(3);
      });

      describe('rotateRefreshTokenFor (optional)', () => {
        /** The store's method, or a failure saying the fixture must declare it absent. */
        const rotateFor = (input: RotateRefreshForInput) => {
          if (!store.rotateRefreshTokenFor) throw new Error('rotateRefreshTokenFor is missing: set rotateRefreshTokenFor: false in the fixture');
          return store.rotateRefreshTokenFor(input);
        };
        const declaredAbsent = () => fixture?.rotateRefreshTokenFor === false;

        it('is present unless the fixture declares it absent', () => {
          expect(typeof store.rotateRefreshTokenFor).toBe(declaredAbsent() ? 'undefined' : 'function');
        });

        it("rotates a token of the client; the successors inherit the parent's family, client, user, business and scopes", async () => {
          if (declaredAbsent()) return;
          const parent = token({ userId: null, scopes: ['a', 'b'] });
          await store.saveTokens([parent]);
          const input = rotationFor(parent, T0 + 10);
          const rotated = { ...parent, rotatedAt: T0 + 10, successor: input.successor };
          expect(await rotateFor(input)).toEqual({ status: 'rotated', token: rotated });
          for (const s of input.successors) expect(await store.findToken(s.hash)).toEqual(successorRecord(parent, s));
          expect(await store.findToken(parent.hash)).toEqual(rotated);
        });

        it("leaves another client's token as it is, answered as a lost rotation, and stores nothing", async () => {
          if (declaredAbsent()) return;
          const parent = token();
          await store.saveTokens([parent]);
          const stranger = rotationFor(parent, T0 + 10, { clientId: 'client-2' });
          expect(await rotateFor(stranger)).toEqual({ status: 'invalid', token: parent });
          for (const s of stranger.successors) expect(await store.findToken(s.hash)).toBeNull();
          expect(await store.findToken(parent.hash)).toEqual(parent);

          // Its own client still rotates it; the stranger then gets the replay, which the caller refuses by clientId.
          const own = rotationFor(parent, T0 + 20);
          expect((await rotateFor(own)).status).toBe('rotated');
          const late = await rotateFor(rotationFor(parent, T0 + 30, { clientId: 'client-2' }));
          expect(late).toEqual({ status: 'replayed', token: { ...parent, rotatedAt: T0 + 20, successor: own.successor }, successor: own.successor });
        });

        it('replays inside the grace window, reports reuse after it, refuses expired, revoked, unknown and access tokens', async () => {
          if (declaredAbsent()) return;
          const parent = token();
          const expired = token({ expiresAt: T0 + 100 });
          const revoked = token({ revokedAt: T0 + 1 });
          const access = token({ type: 'access_token' });
          await store.saveTokens([parent, expired, revoked, access]);
          const first = rotationFor(parent, T0 + 10);
          await rotateFor(first);
          const rotated = { ...parent, rotatedAt: T0 + 10, successor: first.successor };

          const retry = rotationFor(parent, T0 + 10 + GRACE);
          expect(await rotateFor(retry)).toEqual({ status: 'replayed', token: rotated, successor: first.successor });
          const late = rotationFor(parent, T0 + 11 + GRACE);
          expect(await rotateFor(late)).toEqual({ status: 'reused', token: rotated });
          const atExpiry = rotationFor(expired, T0 + 100);
          expect(await rotateFor(atExpiry)).toEqual({ status: 'invalid', token: expired });
          const onRevoked = rotationFor(revoked, T0 + 10);
          expect(await rotateFor(onRevoked)).toEqual({ status: 'invalid', token: revoked });
          const onAccess = rotationFor(access, T0 + 10);
          expect(await rotateFor(onAccess)).toEqual({ status: 'invalid', token: access });
          const unknown = rotationFor(token(), T0 + 10);
          expect(await rotateFor(unknown)).toEqual({ status: 'invalid', token: null });
          for (const input of [retry, late, atExpiry, onRevoked, onAccess, unknown]) {
            for (const s of input.successors) expect(await store.findToken(s.hash)).toBeNull();
          }
        });

        it('rotates once under 100 concurrent redemptions, mixed with rotateRefreshToken; the others replay', async () => {
          if (declaredAbsent()) return;
          const parent = token();
          await store.saveTokens([parent]);
          type Redemption = { kind: 'for'; input: RotateRefreshForInput } | { kind: 'given'; input: RotateRefreshInput };
          const redemptions = Array.from({ length: 100 }, (_, i): Redemption =>
            i % 2 === 0 ? { kind: 'for', input: rotationFor(parent, T0 + 10) } : { kind: 'given', input: rotation(parent, T0 + 10) },
          );
          const results = await Promise.all(
            redemptions.map((r) => (r.kind === 'for' ? rotateFor(r.input) : store.rotateRefreshToken(r.input))),
          );
          const winners = redemptions.filter((_, i) => results[i]!.status === 'rotated');
          expect(winners).toHaveLength(1);
          const winner = winners[0]!;
          const replayed = results.filter((r) => r.status === 'replayed');
          expect(replayed).toHaveLength(99);
          for (const r of replayed) expect(r.successor).toBe(winner.input.successor);
          for (const r of redemptions) {
            const hashes = r.kind === 'for' ? r.input.successors.map((s) => s.hash) : r.input.successorRecords.map((t) => t.hash);
            for (const hash of hashes) expect((await store.findToken(hash)) !== null).toBe(r === winner);
          }
          expect(await store.revokeFamily(parent.familyId, T0 + 20)).toBe(3);
        });
      });

      it('revokes one token, keeping the first revocation time; unknown is null', async () => {
        const rec = token({ type: 'access_token' });
        await store.saveTokens([rec]);
        expect(await store.revokeToken(rec.hash, T0 + 5)).toEqual({ ...rec, revokedAt: T0 + 5 });
        expect(await store.revokeToken(rec.hash, T0 + 9)).toEqual({ ...rec, revokedAt: T0 + 5 });
        expect(await store.findToken(rec.hash)).toEqual({ ...rec, revokedAt: T0 + 5 });
        expect(await store.revokeToken('missing', T0)).toBeNull();
      });

      it('revokes a whole family, counting only newly revoked tokens', async () => {
        const family = uid('family');
        const members = [
          token({ familyId: family }),
          token({ familyId: family, type: 'access_token' }),
          token({ familyId: family, revokedAt: T0 + 1 }),
        ];
        const stranger = token();
        await store.saveTokens([...members, stranger]);

        expect(await store.revokeFamily(family, T0 + 50)).toBe(2);
        expect(await store.revokeFamily(family, T0 + 60)).toBe(0);
        expect(await store.revokeFamily('missing', T0)).toBe(0);
        expect((await store.findToken(members[0]!.hash))?.revokedAt).toBe(T0 + 50);
        expect((await store.findToken(members[1]!.hash))?.revokedAt).toBe(T0 + 50);
        expect((await store.findToken(members[2]!.hash))?.revokedAt).toBe(T0 + 1);
        expect(await store.findToken(stranger.hash)).toEqual(stranger);
      });
    });

    describe('housekeeping', () => {
      it('deletes codes and tokens expired at or before now and nothing else', async () => {
        const now = T0 + HOUR;
        const oldCode = code({ expiresAt: now - 1 });
        const edgeCode = code({ expiresAt: now });
        const liveCode = code({ expiresAt: now + 1 });
        const oldToken = token({ expiresAt: now - 1 });
        const edgeToken = token({ type: 'access_token', expiresAt: now });
        const liveToken = token({ expiresAt: now + 1 });
        for (const c of [oldCode, edgeCode, liveCode]) await store.saveAuthorizationCode(c);
        await store.saveTokens([oldToken, edgeToken, liveToken]);
        const cred = credential({ expiresAt: now - 1 });
        const cl = client();
        await store.createCredential(cred);
        await store.createClient(cl);

        expect(await store.deleteExpired(now)).toBe(4);
        expect(await store.consumeAuthorizationCode(oldCode.hash, now)).toEqual({ status: 'not_found' });
        expect(await store.consumeAuthorizationCode(edgeCode.hash, now)).toEqual({ status: 'not_found' });
        expect((await store.consumeAuthorizationCode(liveCode.hash, now)).status).toBe('consumed');
        expect(await store.findToken(oldToken.hash)).toBeNull();
        expect(await store.findToken(edgeToken.hash)).toBeNull();
        expect(await store.findToken(liveToken.hash)).toEqual(liveToken);
        expect(await store.getCredential(cred.id)).toEqual(cred);
        expect(await store.getClient(cl.clientId)).toEqual(cl);
        expect(await store.deleteExpired(now)).toBe(0);
      });
    });
  });
}
