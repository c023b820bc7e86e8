import { startTokenServer, type TokenServer } from '../../../testkit/src/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenManager, memoryTokenStore, passwordGrant, type TokenSet, type TokenStore } from '../../src/client/index.js';
import { ReauthenticationRequiredError } from '../../src/errors.js';

let server: TokenServer;
beforeAll(async () => {
  server = await startTokenServer({
    clients: [{ clientId: 'app', clientSecret: 'app-secret' }],
    users: [{ username: 'u', password: 'pw-1234' }],
    refreshTokens: 'rotate',
  });
});
afterAll(() => server.close());

const grant = () =>
  passwordGrant({ tokenEndpoint: server.tokenEndpoint, clientId: 'app', clientSecret: 'app-secret', username: 'u', password: 'pw-1234', retry: false });

/** A real memory store that records every successful write and the keys it saw. */
function recordingStore() {
  const inner = memoryTokenStore();
  const writes: { key: string; tokenSet: TokenSet }[] = [];
  const store: TokenStore = {
    get: (key) => inner.get(key),
    async compareAndSet(key, tokenSet, expected) {
      const result = await inner.compareAndSet(key, tokenSet, expected);
      if (result.ok) writes.push({ key, tokenSet: structuredClone(tokenSet) });
      return result;
    },
    delete: (key, expected) => inner.delete(key, expected),
  };
  return { store, writes, inner };
}

describe('refresh-token rotation (rule 7)', () => {
  it('persists the rotated refresh token before the caller sees the new access token', async () => {
    let clock = Date.now();
    const { store, writes, inner } = recordingStore();
    const tokens = createTokenManager(grant(), { store, now: () => clock });
    const first = await tokens.getTokenSet();
    expect(first.refreshToken).toBeTruthy();
    clock += 1_800_000;
    const writesBefore = writes.length;
    const snapshot = await tokens.getAccessToken().then((accessToken) => ({ accessToken, written: writes.slice(writesBefore) }));
    // At the moment the caller got the token, the write carrying the rotated refresh token had happened.
    expect(snapshot.written).toHaveLength(1);
    const written = snapshot.written[0]!.tokenSet;
    expect(written.accessToken).toBe(snapshot.accessToken);
    expect(written.refreshToken).not.toBe(first.refreshToken);
    expect(server.isRefreshTokenActive(written.refreshToken!)).toBe(true);
    expect(server.isRefreshTokenActive(first.refreshToken!)).toBe(false);
    expect((await inner.get(snapshot.written[0]!.key))?.tokenSet.refreshToken).toBe(written.refreshToken);
    expect(server.tokenRequests.at(-1)!.params).toMatchObject({ grant_type: 'refresh_token', refresh_token: first.refreshToken });
  });

  it('always redeems the newest refresh token across successive rotations', async () => {
    let clock = Date.now();
    const tokens = createTokenManager(grant(), { now: () => clock });
    let previous = (await tokens.getTokenSet()).refreshToken!;
    for (let i = 0; i < 3; i++) {
      clock += 1_800_000;
      const next = await tokens.getTokenSet();
      expect(server.tokenRequests.at(-1)!.params.refresh_token).toBe(previous);
      expect(next.refreshToken).not.toBe(previous);
      previous = next.refreshToken!;
    }
  });

  it('a late token response never overwrites a newer token set (compare-and-set)', async () => {
    let clock = Date.now();
    const { store, inner, writes } = recordingStore();
    const tokens = createTokenManager(grant(), { store, now: () => clock });
    await tokens.getTokenSet();
    const key = writes[0]!.key;
    clock += 1_800_000;
    server.script({ delayMs: 1_000, passThrough: true });
    const slow = tokens.getAccessToken();
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Another process finished its own renewal first and wrote a newer set.
    const newer: TokenSet = { accessToken: 'newer-from-elsewhere', tokenType: 'Bearer', expiresAt: clock + 3_600_000, obtainedAt: clock, refreshToken: 'rt-newer' };
    const current = await inner.get(key);
    expect((await inner.compareAndSet(key, newer, current!.version)).ok).toBe(true);
    expect(await slow).toBe('newer-from-elsewhere');
    expect((await inner.get(key))?.tokenSet).toEqual(newer);
  });

  it('invalid_grant on refresh clears the token set and throws ReauthenticationRequiredError', async () => {
    const clock = Date.now();
    const { store, inner, writes } = recordingStore();
    const tokens = createTokenManager(grant(), { store, now: () => clock });
    await tokens.set(undefined, { accessToken: 'old', tokenType: 'Bearer', expiresAt: clock - 1, obtainedAt: clock - 3_600_000, refreshToken: 'rt-revoked-elsewhere' });
    const key = writes[0]!.key;
    const err = await tokens.getAccessToken().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReauthenticationRequiredError);
    expect(err).toMatchObject({ error: 'invalid_grant', code: 'ERR_REAUTH_REQUIRED' });
    expect(await inner.get(key)).toBeNull();
    expect(JSON.stringify(err) + (err as Error).message).not.toContain('rt-revoked-elsewhere');
    // A non-interactive grant starts over on the next call.
    expect(server.isAccessTokenActive(await tokens.getAccessToken())).toBe(true);
  });
});

describe('a refresh token rotated by another process while ours was in flight', () => {
  it('uses the newer token set instead of signing out (lapsed-lease race)', async () => {
    let clock = Date.now();
    const clockedGrant = () =>
      passwordGrant({
        tokenEndpoint: server.tokenEndpoint,
        clientId: 'app',
        clientSecret: 'app-secret',
        username: 'u',
        password: 'pw-1234',
        retry: false,
        now: () => clock,
      });
    const inner = memoryTokenStore();
    const a = createTokenManager(clockedGrant(), { store: inner, now: () => clock });
    await a.getTokenSet();
    // The set every process saw before the expiry (the store has exactly one key).
    let stale: Awaited<ReturnType<TokenStore['get']>> = null;
    const capture: TokenStore = {
      async get(k) {
        stale ??= await inner.get(k);
        return inner.get(k);
      },
      compareAndSet: (k, s, e) => inner.compareAndSet(k, s, e),
      delete: (k, e) => inner.delete(k, e),
    };
    await createTokenManager(clockedGrant(), { store: capture, now: () => clock }).getTokenSet();
    expect(stale).not.toBeNull();
    clock += 1_800_000;
    // Process A rotates the refresh token.
    const rotatedAccess = await a.getAccessToken();
    // Process B read the pre-rotation set (two stale reads, no shared lock), then redeems the spent token.
    let staleReads = 2;
    const lagging: TokenStore = {
      async get(k) {
        if (staleReads > 0) {
          staleReads--;
          return stale;
        }
        return inner.get(k);
      },
      compareAndSet: (k, s, e) => inner.compareAndSet(k, s, e),
      delete: (k, e) => inner.delete(k, e),
    };
    const b = createTokenManager(clockedGrant(), { store: lagging, now: () => clock });
    const before = server.tokenRequests.length;
    await expect(b.getAccessToken()).resolves.toBe(rotatedAccess);
    // B really sent the spent refresh token (and got invalid_grant); A's newer set survived.
    expect(server.tokenRequests.length).toBe(before + 1);
    expect(server.tokenRequests.at(-1)!.params).toMatchObject({ grant_type: 'refresh_token' });
    await expect(a.getAccessToken()).resolves.toBe(rotatedAccess);
  });
});
