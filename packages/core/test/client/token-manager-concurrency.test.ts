import { startTokenServer, type TokenServer } from '../../../testkit/src/index.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTokenManager, memoryTokenStore, passwordGrant, type TokenSet } from '../../src/client/index.js';
import { OAuthError } from '../../src/errors.js';

let server: TokenServer;
beforeAll(async () => {
  server = await startTokenServer({
    clients: [{ clientId: 'key', clientSecret: 'secret' }],
    users: [{ username: 'u', password: 'p' }],
  });
});
afterAll(() => server.close());

const grant = () =>
  passwordGrant({ tokenEndpoint: server.tokenEndpoint, clientId: 'key', clientSecret: 'secret', username: 'u', password: 'p', retry: false });

const expired = (): TokenSet => ({ accessToken: 'expired-token', tokenType: 'Bearer', expiresAt: Date.now() - 1_000, obtainedAt: Date.now() - 3_600_000 });

let before = 0;
beforeEach(() => {
  server.clearScript();
  before = server.counts.token;
});
const requests = () => server.counts.token - before;

describe('single-flight renewal (rule 8)', () => {
  it('1,000 concurrent getAccessToken() on an expired token make exactly one token request', { timeout: 15_000 }, async () => {
    const tokens = createTokenManager(grant());
    await tokens.set(undefined, expired());
    const results = await Promise.all(Array.from({ length: 1_000 }, () => tokens.getAccessToken()));
    expect(requests()).toBe(1);
    expect(new Set(results).size).toBe(1);
    expect(results[0]).not.toBe('expired-token');
    expect(server.isAccessTokenActive(results[0]!)).toBe(true);
  });

  it('a failing renewal rejects all 1,000 callers with the typed error, and the next call succeeds', { timeout: 15_000 }, async () => {
    const tokens = createTokenManager(grant());
    await tokens.set(undefined, expired());
    server.script({ status: 503, body: { error: 'temporarily_unavailable', error_description: 'maintenance' } });
    const settled = await Promise.allSettled(Array.from({ length: 1_000 }, () => tokens.getAccessToken()));
    expect(requests()).toBe(1);
    const reasons = settled.map((s) => (s.status === 'rejected' ? s.reason : null));
    expect(reasons[0]).toMatchObject({ error: 'temporarily_unavailable', status: 503 });
    expect(reasons.every((r) => r instanceof OAuthError && r.error === 'temporarily_unavailable' && r.status === 503)).toBe(true);
    const token = await tokens.getAccessToken();
    expect(requests()).toBe(2);
    expect(server.isAccessTokenActive(token)).toBe(true);
  });

  it('a fresh token is served from the cache without any request', async () => {
    const tokens = createTokenManager(grant());
    const first = await tokens.getAccessToken();
    const again = await Promise.all(Array.from({ length: 50 }, () => tokens.getAccessToken()));
    expect(again.every((t) => t === first)).toBe(true);
    expect(requests()).toBe(1);
  });

  it('refreshes ahead of expiry by the configured skew', async () => {
    let clock = Date.now();
    const tokens = createTokenManager(grant(), { now: () => clock, refreshSkew: '5m' });
    const first = await tokens.getAccessToken();
    clock += (1799 - 301) * 1000;
    expect(await tokens.getAccessToken()).toBe(first);
    clock += 2_000;
    expect(await tokens.getAccessToken()).not.toBe(first);
    expect(requests()).toBe(2);
  });

  it('a failed refresh-ahead keeps serving the still-valid token; an expired one is never served', async () => {
    let clock = Date.now();
    const tokens = createTokenManager(grant(), { now: () => clock, refreshSkew: '5m' });
    const first = await tokens.getAccessToken();
    clock += (1799 - 60) * 1000;
    server.script({ status: 503, body: { error: 'temporarily_unavailable' } });
    expect(await tokens.getAccessToken()).toBe(first);
    clock += 120_000;
    server.script({ status: 503, body: { error: 'temporarily_unavailable' } });
    await expect(tokens.getAccessToken()).rejects.toMatchObject({ status: 503 });
    expect(requests()).toBe(3);
  });

  it('different subjects renew independently', async () => {
    const tokens = createTokenManager(grant());
    const [a, b] = await Promise.all([tokens.getAccessToken('alice'), tokens.getAccessToken('bob')]);
    expect(a).not.toBe(b);
    expect(requests()).toBe(2);
  });
});

describe('cross-process renewal through a store with locks', () => {
  it('two managers sharing a store (two "processes") make one token request for 2 x 300 callers', { timeout: 15_000 }, async () => {
    const store = memoryTokenStore();
    const a = createTokenManager(grant(), { store });
    const b = createTokenManager(grant(), { store });
    await a.set(undefined, expired());
    server.script({ delayMs: 100, passThrough: true });
    const results = await Promise.all([
      ...Array.from({ length: 300 }, () => a.getAccessToken()),
      ...Array.from({ length: 300 }, () => b.getAccessToken()),
    ]);
    expect(requests()).toBe(1);
    expect(new Set(results).size).toBe(1);
  });

  it('extends the lease while a slow token request is in flight, so the other process does not renew too', { timeout: 15_000 }, async () => {
    const store = memoryTokenStore();
    const options = { store, lock: { lease: '300ms', wait: '5s' } } as const;
    const a = createTokenManager(grant(), options);
    const b = createTokenManager(grant(), options);
    await a.set(undefined, expired());
    server.script({ delayMs: 1_000, passThrough: true });
    const first = a.getAccessToken();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const second = b.getAccessToken();
    const [ta, tb] = await Promise.all([first, second]);
    expect(ta).toBe(tb);
    expect(requests()).toBe(1);
  });

  it('when the lock holder fails, a waiter takes over and renews', { timeout: 15_000 }, async () => {
    const store = memoryTokenStore();
    const a = createTokenManager(grant(), { store });
    const b = createTokenManager(grant(), { store, lock: { pollInterval: '20ms' } });
    await a.set(undefined, expired());
    server.script({ delayMs: 100, status: 400, body: { error: 'invalid_request' } });
    const first = a.getAccessToken().catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const token = await b.getAccessToken();
    expect(await first).toBeInstanceOf(OAuthError);
    expect(server.isAccessTokenActive(token)).toBe(true);
    expect(requests()).toBe(2);
  });
});
