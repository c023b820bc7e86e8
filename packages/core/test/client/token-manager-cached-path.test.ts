/**
 * The cached path of the token manager was made cheaper (store keys memoised per subject; the memory store
 * copies flat token sets with a spread). These tests pin what must not change: the store keys themselves
 * (persisted in shared stores such as Redis), subject validation, and copy-in/copy-out isolation.
 */
import { describe, expect, it } from 'vitest';
import { createTokenManager, memoryTokenStore } from '../../src/client/index.js';
import type { Grant } from '../../src/client/grant.js';
import type { TokenSet } from '../../src/client/token-set.js';
import type { TokenStore } from '../../src/client/token-store.js';
import { sha256 } from '../../src/crypto/hash.js';
import { ConfigError } from '../../src/errors.js';

const fresh = (token = 'at_1'): TokenSet => ({ accessToken: token, tokenType: 'Bearer', expiresAt: Date.now() + 3_600_000, obtainedAt: Date.now() });
function offlineGrant(): Grant & { calls: number } {
  const g = {
    calls: 0,
    grantType: 'client_credentials' as const,
    identity: 'test:offline',
    requestToken: async () => {
      g.calls++;
      return fresh(`at_${g.calls}`);
    },
    refresh: async () => fresh(),
    revokeToken: async () => {},
  };
  return g;
}

/** A memory store that records every key it is asked for. */
function recordingStore() {
  const inner = memoryTokenStore();
  const keys: string[] = [];
  const store: TokenStore = {
    ...inner,
    get: (key) => {
      keys.push(key);
      return inner.get(key);
    },
    compareAndSet: (key, set, v) => inner.compareAndSet(key, set, v),
    delete: (key, v) => inner.delete(key, v),
  };
  return { store, keys };
}

const expectedKey = (identity: string, subject: string | null) => `auth:tokens:${sha256(JSON.stringify([identity, subject]))}`;

describe('token manager cached path', () => {
  it('keeps the store keys byte for byte (default subject and named subjects)', async () => {
    const { store, keys } = recordingStore();
    const tokens = createTokenManager(offlineGrant(), { store });
    await tokens.getAccessToken();
    await tokens.getAccessToken('user-1');
    await tokens.getAccessToken();
    await tokens.getAccessToken('user-1');
    expect(new Set(keys)).toEqual(new Set([expectedKey('test:offline', null), expectedKey('test:offline', 'user-1')]));
  });

  it('stays correct past the memo bound: every subject keeps its own key and token', async () => {
    const grant = offlineGrant();
    const { store, keys } = recordingStore();
    const tokens = createTokenManager(grant, { store });
    const first = await tokens.getAccessToken('s0');
    for (let i = 1; i <= 10_050; i++) await tokens.getAccessToken(`s${i}`);
    expect(await tokens.getAccessToken('s0')).toBe(first);
    expect(keys.at(-1)).toBe(expectedKey('test:offline', 's0'));
    expect(grant.calls).toBe(10_051);
  });

  it('still refuses an empty or non-string subject', async () => {
    const tokens = createTokenManager(offlineGrant());
    await expect(tokens.getAccessToken('')).rejects.toBeInstanceOf(ConfigError);
    await expect(tokens.getAccessToken(42 as unknown as string)).rejects.toBeInstanceOf(ConfigError);
  });

  it('serves one renewal and then the cache: a single token request', async () => {
    const grant = offlineGrant();
    const tokens = createTokenManager(grant);
    const all = await Promise.all(Array.from({ length: 1000 }, () => tokens.getAccessToken()));
    for (let i = 0; i < 100; i++) all.push(await tokens.getAccessToken());
    expect(new Set(all)).toEqual(new Set(['at_1']));
    expect(grant.calls).toBe(1);
  });
});

describe('memoryTokenStore copies', () => {
  it('hands out copies of a flat token set: mutating one changes neither the store nor the next read', async () => {
    const store = memoryTokenStore();
    const written = fresh('at_a');
    await store.compareAndSet('k', written, null);
    written.accessToken = 'changed-after-write';
    const a = (await store.get('k'))!;
    a.tokenSet.accessToken = 'changed-after-read';
    const b = (await store.get('k'))!;
    expect(b.tokenSet.accessToken).toBe('at_a');
    expect(b.tokenSet).not.toBe(a.tokenSet);
  });

  it('still deep-copies a token set carrying nested values', async () => {
    const store = memoryTokenStore();
    const written = { ...fresh('at_b'), extra: { nested: ['x'] } } as TokenSet & { extra: { nested: string[] } };
    await store.compareAndSet('k', written, null);
    const a = (await store.get('k'))!.tokenSet as typeof written;
    a.extra.nested.push('y');
    const b = (await store.get('k'))!.tokenSet as typeof written;
    expect(b.extra.nested).toEqual(['x']);
  });
});

describe('credential(): one frozen object while the token is current', () => {
  it('hands out the same credential per subject until the token changes, and it cannot be mutated', async () => {
    const grant = offlineGrant();
    const tokens = createTokenManager(grant);
    const a = await tokens.credential();
    expect(await tokens.credential()).toBe(a);
    expect(a).toEqual({ headers: { Authorization: 'Bearer at_1' }, query: {}, token: 'at_1', subject: undefined });
    expect(Object.isFrozen(a) && Object.isFrozen(a.headers) && Object.isFrozen(a.query)).toBe(true);
    expect(() => {
      (a.headers as Record<string, string>).Authorization = 'Bearer stolen';
    }).toThrow(TypeError);

    const alice = await tokens.credential({ subject: 'alice' });
    expect(alice).not.toBe(a);
    expect(alice.subject).toBe('alice');
    expect(await tokens.credential({ subject: 'alice' })).toBe(alice);

    const renewed = await tokens.renew(a);
    expect(renewed?.token).not.toBe('at_1');
    const next = await tokens.credential();
    expect(next).not.toBe(a);
    expect(next.token).toBe(renewed?.token);
    expect(a.headers.Authorization).toBe('Bearer at_1');
  });

  it('credentialNow: what credential() last resolved to while it is fresh, never a token since dropped', async () => {
    const grant = offlineGrant();
    let clock = Date.now();
    const tokens = createTokenManager(grant, { now: () => clock });
    expect(tokens.credentialNow!()).toBeUndefined();
    const a = await tokens.credential();
    expect(tokens.credentialNow!()).toBe(a);
    expect(tokens.credentialNow!({ subject: 'alice' })).toBeUndefined();
    const alice = await tokens.credential({ subject: 'alice' });
    expect(tokens.credentialNow!({ subject: 'alice' })).toBe(alice);

    // Renewed after a 401: the rejected token is not handed out again.
    await tokens.renew(a);
    expect(tokens.credentialNow!()).toBeUndefined();
    const b = await tokens.credential();
    expect(b.token).not.toBe(a.token);
    expect(tokens.credentialNow!()).toBe(b);

    // Replaced, invalidated, revoked: nothing until credential() asks the store again.
    await tokens.set(undefined, fresh('at_set'));
    expect(tokens.credentialNow!()).toBeUndefined();
    expect((await tokens.credential()).token).toBe('at_set');
    await tokens.invalidate();
    expect(tokens.credentialNow!()).toBeUndefined();
    await tokens.credential();
    await tokens.revoke();
    expect(tokens.credentialNow!()).toBeUndefined();
    expect(tokens.credentialNow!({ subject: 'alice' })).toBe(alice);

    // Inside the refresh-ahead window the token is no longer fresh: credential() must decide.
    clock += 3_600_000 - 1000;
    expect(tokens.credentialNow!({ subject: 'alice' })).toBeUndefined();
  });

  it('credentialNow: a credential() that read the store before an invalidation does not put the old token back', async () => {
    const grant = offlineGrant();
    const tokens = createTokenManager(grant);
    await tokens.credential();
    const inFlight = tokens.credential();
    await tokens.invalidate();
    expect((await inFlight).token).toBe('at_1');
    expect(tokens.credentialNow!()).toBeUndefined();
  });
});
