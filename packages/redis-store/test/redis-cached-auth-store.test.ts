
import {
  type AuthStore,
  ConfigError,
  type CredentialRecord,
  memoryAuthStore,
  StoreError,
  type TokenRecord,
} from '@auth/core';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { describeAuthStoreContract, storeRecords, uid } from '../../testkit/src/index.js';
import { type RedisCachedAuthStoreOptions, redisCachedAuthStore } from '../src/index.js';
import { connectRedis, deletePrefix, freePort, uniquePrefix } from './redis-fixture.js';

// Two connections: each wrapper instance stands for one process. A failure to connect is kept, so
// without Redis every test fails with the reason.
let first: Promise<Redis> | undefined;
let second: Promise<Redis> | undefined;
const redisA = (): Promise<Redis> => (first ??= connectRedis());
const redisB = (): Promise<Redis> => (second ??= connectRedis());
const runPrefix = uniquePrefix('cached-auth-store');
let testCount = 0;
const nextPrefix = () => `${runPrefix}${++testCount}:`;

afterAll(async () => {
  const a = await first?.catch(() => undefined);
  const b = await second?.catch(() => undefined);
  if (a) await deletePrefix(a, runPrefix);
  a?.disconnect();
  b?.disconnect();
});

const HOUR = 3_600_000;
// The contract's record builders, with this suite's defaults: live records timed from the real clock, and
// tokens that are access tokens (the ones verification looks up).
const records = storeRecords(Date.now);
const credential = (overrides: Partial<CredentialRecord> = {}) => records.credential({ scopes: ['orders:read'], ...overrides });
const token = (overrides: Partial<TokenRecord> = {}) =>
  records.token({ type: 'access_token', businessId: null, scopes: ['profile'], expiresAt: Date.now() + HOUR, ...overrides });

/** A read that is held after it fetched from the store, until `release()`. */
interface Hold {
  /** Resolves once the held read has its (soon stale) answer from the store. */
  reached: Promise<void>;
  release(): void;
}

/** The shared database, seen through one process: counts store calls and can hold the next read. */
function instrument(store: AuthStore) {
  const calls = new Map<string, number>();
  let held: { reached: () => void; released: Promise<void> } | undefined;
  const proxy = new Proxy(store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      const name = String(prop);
      return async (...args: unknown[]) => {
        calls.set(name, (calls.get(name) ?? 0) + 1);
        const result: unknown = await value.apply(target, args);
        const hold = held;
        if (hold && (name === 'findToken' || name === 'findCredentialByHash')) {
          held = undefined;
          hold.reached();
          await hold.released;
        }
        return result;
      };
    },
  });
  return {
    store: proxy,
    count: (name: keyof AuthStore) => calls.get(name) ?? 0,
    holdNextRead(): Hold {
      let reached!: () => void;
      let release!: () => void;
      const reachedP = new Promise<void>((resolve) => {
        reached = resolve;
      });
      held = { reached, released: new Promise<void>((resolve) => (release = resolve)) };
      return { reached: reachedP, release };
    },
  };
}

/** Two "processes" on one database and one Redis: A and B, each with its own connection. */
async function twoProcesses(options: Partial<RedisCachedAuthStoreOptions> = {}) {
  const db = memoryAuthStore();
  const prefix = options.prefix ?? nextPrefix();
  const a = instrument(db);
  const b = instrument(db);
  const redis = await redisA();
  return {
    db,
    prefix,
    redis,
    a,
    b,
    A: redisCachedAuthStore(a.store, { ...options, redis, prefix }),
    B: redisCachedAuthStore(b.store, { ...options, redis: await redisB(), prefix }),
  };
}

describeAuthStoreContract('redisCachedAuthStore(memoryAuthStore())', async () => {
  const redis = await redisA();
  const prefix = nextPrefix();
  return {
    store: redisCachedAuthStore(memoryAuthStore(), { redis, prefix, onError: (err) => { throw err; } }),
    cleanup: () => deletePrefix(redis, prefix),
  };
});

describe('redisCachedAuthStore: cache hits', () => {
  it('serves repeated credential and token lookups from Redis without calling the store', async () => {
    const { A, a, prefix, redis } = await twoProcesses();
    const cred = credential();
    const tok = token();
    await A.createCredential(cred);
    await A.saveTokens([tok]);

    for (let i = 0; i < 5; i++) {
      expect(await A.findCredentialByHash(cred.hash)).toEqual(cred);
      expect(await A.findToken(tok.hash)).toEqual(tok);
    }
    expect(a.count('findCredentialByHash')).toBe(1);
    expect(a.count('findToken')).toBe(1);

    // Keyed by the record hash, never a secret; the family set expires with its entries.
    expect(await redis.exists(`${prefix}cred:${cred.hash}`, `${prefix}tok:${tok.hash}`)).toBe(2);
    expect(await redis.smembers(`${prefix}fam:${tok.familyId}`)).toEqual([tok.hash]);
    const famTtl = await redis.pttl(`${prefix}fam:${tok.familyId}`);
    expect(famTtl).toBeGreaterThan(0);
    expect(famTtl).toBeLessThanOrEqual(30_000);
  });

  it('is shared: a record cached by one process is a hit for another', async () => {
    const { A, B, a, b } = await twoProcesses();
    const cred = credential();
    await A.createCredential(cred);
    expect(await A.findCredentialByHash(cred.hash)).toEqual(cred);
    expect(await B.findCredentialByHash(cred.hash)).toEqual(cred);
    expect(a.count('findCredentialByHash') + b.count('findCredentialByHash')).toBe(1);
  });

  it('hands out copies of cached records', async () => {
    const { A } = await twoProcesses();
    const cred = credential();
    await A.createCredential(cred);
    await A.findCredentialByHash(cred.hash);
    const hit = (await A.findCredentialByHash(cred.hash))!;
    hit.scopes.push('admin');
    expect(await A.findCredentialByHash(cred.hash)).toEqual(cred);
  });

  it('never caches a miss: a credential created after a failed lookup works at once', async () => {
    const { A, B, a } = await twoProcesses();
    const cred = credential();
    expect(await A.findCredentialByHash(cred.hash)).toBeNull();
    await B.createCredential(cred);
    expect(await A.findCredentialByHash(cred.hash)).toEqual(cred);
    expect(a.count('findCredentialByHash')).toBe(2);

    const tok = token();
    expect(await A.findToken(tok.hash)).toBeNull();
    await B.saveTokens([tok]);
    expect(await A.findToken(tok.hash)).toEqual(tok);
  });

  it('caches a record read after its revocation at once (tombstones only refuse older reads)', async () => {
    const { A, B, a } = await twoProcesses();
    const tok = token();
    await A.saveTokens([tok]);
    const revoked = await B.revokeToken(tok.hash, Date.now());
    expect(await A.findToken(tok.hash)).toEqual(revoked);
    expect(await A.findToken(tok.hash)).toEqual(revoked);
    expect(a.count('findToken')).toBe(1);
  });
});

describe('redisCachedAuthStore: revocation seen by every process at once', () => {
  it('API keys: a revocation through B is refused by A on its next lookup', async () => {
    const { A, B } = await twoProcesses();
    const cred = credential();
    await A.createCredential(cred);
    expect(await A.findCredentialByHash(cred.hash)).toEqual(cred);
    expect(await B.findCredentialByHash(cred.hash)).toEqual(cred);

    const revokedAt = Date.now();
    await B.updateCredential(cred.id, { revokedAt });
    expect((await A.findCredentialByHash(cred.hash))?.revokedAt).toBe(revokedAt);
    expect((await B.findCredentialByHash(cred.hash))?.revokedAt).toBe(revokedAt);
  });

  it('tokens: revokeToken through B is seen by A', async () => {
    const { A, B } = await twoProcesses();
    const tok = token();
    await A.saveTokens([tok]);
    expect(await A.findToken(tok.hash)).toEqual(tok);
    const now = Date.now();
    await B.revokeToken(tok.hash, now);
    expect((await A.findToken(tok.hash))?.revokedAt).toBe(now);
  });

  it('families: revokeFamily through B drops every cached member on A, and only them', async () => {
    const { A, B, a, prefix, redis } = await twoProcesses();
    const familyId = uid('family');
    const members = [token({ familyId }), token({ familyId, type: 'refresh_token' }), token({ familyId })];
    const stranger = token();
    await A.saveTokens([...members, stranger]);
    for (const t of [...members, stranger]) expect(await A.findToken(t.hash)).toEqual(t);
    expect((await redis.smembers(`${prefix}fam:${familyId}`)).sort()).toEqual(members.map((t) => t.hash).sort());

    const now = Date.now();
    expect(await B.revokeFamily(familyId, now)).toBe(3);
    for (const t of members) expect((await A.findToken(t.hash))?.revokedAt).toBe(now);
    const before = a.count('findToken');
    expect(await A.findToken(stranger.hash)).toEqual(stranger);
    expect(a.count('findToken')).toBe(before);
    // Read after the revocation, the revoked records are cached again (and refused by the verifier).
    expect(await redis.exists(...members.map((t) => `${prefix}tok:${t.hash}`))).toBe(3);
  });

  it('a rotation through B is seen by A (rotatedAt and the successor)', async () => {
    const { A, B } = await twoProcesses();
    const parent = token({ type: 'refresh_token' });
    await A.saveTokens([parent]);
    expect(await A.findToken(parent.hash)).toEqual(parent);
    const now = Date.now();
    const successorRecords = [token({ familyId: parent.familyId }), token({ familyId: parent.familyId, type: 'refresh_token' })];
    const result = await B.rotateRefreshToken({ hash: parent.hash, now, graceMs: 60_000, successorRecords, successor: 'sealed' });
    expect(result.status).toBe('rotated');
    expect(await A.findToken(parent.hash)).toEqual({ ...parent, rotatedAt: now, successor: 'sealed' });
  });

  it('a rotateRefreshTokenFor through B is seen by A; over a store without it, the wrapper has none either', async () => {
    const { A, B } = await twoProcesses();
    const parent = token({ type: 'refresh_token' });
    await A.saveTokens([parent]);
    expect(await A.findToken(parent.hash)).toEqual(parent);
    const now = Date.now();
    const successors = [{ hash: uid('tok'), type: 'access_token' as const, createdAt: now, expiresAt: now + HOUR }];
    const result = await B.rotateRefreshTokenFor!({ hash: parent.hash, clientId: parent.clientId, now, graceMs: 60_000, successors, successor: 'd1.x' });
    expect(result.status).toBe('rotated');
    expect(await A.findToken(parent.hash)).toEqual({ ...parent, rotatedAt: now, successor: 'd1.x' });
    expect(await A.findToken(successors[0]!.hash)).toMatchObject({ familyId: parent.familyId, scopes: parent.scopes });

    const { rotateRefreshTokenFor: _, ...without } = memoryAuthStore();
    const wrapped = redisCachedAuthStore(without, { redis: await redisA(), prefix: nextPrefix() });
    expect(wrapped.rotateRefreshTokenFor).toBeUndefined();
    expect(typeof wrapped.rotateRefreshToken).toBe('function');
  });

  it('deleteExpired through B retires every token A cached', async () => {
    const { A, B } = await twoProcesses();
    const old = token({ expiresAt: Date.now() - 1 });
    const live = token();
    await A.saveTokens([old, live]);
    expect(await A.findToken(old.hash)).toEqual(old);
    expect(await A.findToken(live.hash)).toEqual(live);
    expect(await B.deleteExpired(Date.now())).toBe(1);
    expect(await A.findToken(old.hash)).toBeNull();
    expect(await A.findToken(live.hash)).toEqual(live);
  });

  it('a token overwritten by saveTokens is not served stale', async () => {
    const { A, B } = await twoProcesses();
    const tok = token();
    await A.saveTokens([tok]);
    await A.findToken(tok.hash);
    const replaced = { ...tok, scopes: ['other'] };
    await B.saveTokens([replaced]);
    expect(await A.findToken(tok.hash)).toEqual(replaced);
  });
});

describe('redisCachedAuthStore: refill race guard', () => {
  it('does not cache a token read that started before a revocation and finished after it', async () => {
    const { A, B, a, prefix, redis } = await twoProcesses();
    const tok = token();
    await A.saveTokens([tok]);
    const hold = a.holdNextRead();
    const slow = A.findToken(tok.hash);
    await hold.reached; // A has the pre-revocation record in hand
    const now = Date.now();
    await B.revokeToken(tok.hash, now);
    hold.release();
    expect(await slow).toEqual(tok); // its own answer was read before the revocation
    expect(await redis.exists(`${prefix}tok:${tok.hash}`)).toBe(0);
    expect((await B.findToken(tok.hash))?.revokedAt).toBe(now);
    expect((await A.findToken(tok.hash))?.revokedAt).toBe(now);
  });

  it('does not cache a credential read that raced updateCredential', async () => {
    const { A, B, a, prefix, redis } = await twoProcesses();
    const cred = credential();
    await A.createCredential(cred);
    const hold = a.holdNextRead();
    const slow = A.findCredentialByHash(cred.hash);
    await hold.reached;
    const revokedAt = Date.now();
    await B.updateCredential(cred.id, { revokedAt });
    hold.release();
    expect(await slow).toEqual(cred);
    expect(await redis.exists(`${prefix}cred:${cred.hash}`)).toBe(0);
    expect((await B.findCredentialByHash(cred.hash))?.revokedAt).toBe(revokedAt);
  });

  it('does not cache a family member read that raced revokeFamily', async () => {
    const { A, B, a, prefix, redis } = await twoProcesses();
    const tok = token();
    await A.saveTokens([tok]);
    const hold = a.holdNextRead();
    const slow = A.findToken(tok.hash);
    await hold.reached;
    const now = Date.now();
    await B.revokeFamily(tok.familyId, now);
    hold.release();
    expect(await slow).toEqual(tok);
    expect(await redis.exists(`${prefix}tok:${tok.hash}`)).toBe(0);
    expect((await B.findToken(tok.hash))?.revokedAt).toBe(now);
  });

  it('does not cache a token read that raced deleteExpired', async () => {
    const { A, B, a, prefix, redis } = await twoProcesses();
    const tok = token({ expiresAt: Date.now() - 1 });
    await A.saveTokens([tok]);
    const hold = a.holdNextRead();
    const slow = A.findToken(tok.hash);
    await hold.reached;
    await B.deleteExpired(Date.now());
    hold.release();
    expect(await slow).toEqual(tok);
    expect(await redis.exists(`${prefix}tok:${tok.hash}`)).toBe(0);
    expect(await B.findToken(tok.hash)).toBeNull();
  });

  it('does cache the same held read when nothing was revoked meanwhile (the guard is what refuses)', async () => {
    const { A, a, prefix, redis } = await twoProcesses();
    const tok = token();
    await A.saveTokens([tok]);
    const hold = a.holdNextRead();
    const slow = A.findToken(tok.hash);
    await hold.reached;
    hold.release();
    expect(await slow).toEqual(tok);
    expect(await redis.exists(`${prefix}tok:${tok.hash}`)).toBe(1);
  });
});

describe('redisCachedAuthStore: the TTL bound', () => {
  it('serves a change made behind its back (or a lastUsedAt touch) for at most ttl', async () => {
    const { A, db } = await twoProcesses({ ttl: '400ms' });
    const cred = credential();
    await A.createCredential(cred);
    expect(await A.findCredentialByHash(cred.hash)).toEqual(cred);

    // Written straight to the database (an invalidation that never reached Redis), and a touch.
    const changedAt = Date.now();
    await db.updateCredential(cred.id, { revokedAt: changedAt });
    await A.touchCredentials(new Map([[cred.id, changedAt]]));
    expect((await A.findCredentialByHash(cred.hash))?.revokedAt).toBeNull();

    let seen: CredentialRecord | null = null;
    while (Date.now() - changedAt < 2_000) {
      seen = await A.findCredentialByHash(cred.hash);
      if (seen?.revokedAt !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(seen).toEqual({ ...cred, revokedAt: changedAt, lastUsedAt: changedAt });
    expect(Date.now() - changedAt).toBeLessThan(400 + 300);
  });
});

describe('redisCachedAuthStore with Redis unreachable', () => {
  const opened: Redis[] = [];
  afterAll(() => {
    for (const r of opened.splice(0)) r.disconnect();
  });

  async function closedPort(): Promise<Redis> {
    // ioredis defaults: 20 retries per request and an offline queue, the slowest way to fail.
    const redis = new Redis({ host: '127.0.0.1', port: await freePort() });
    redis.on('error', () => {});
    opened.push(redis);
    return redis;
  }

  it('answers every call from the store, each within the command timeout, and reports to onError', async () => {
    const errors: unknown[] = [];
    const db = instrument(memoryAuthStore());
    const store = redisCachedAuthStore(db.store, {
      redis: await closedPort(),
      commandTimeout: '200ms',
      onError: (err) => errors.push(err),
    });
    const cred = credential();
    const family = uid('family');
    const tok = token({ familyId: family });
    const timed = async <T>(run: () => Promise<T>): Promise<T> => {
      const started = Date.now();
      const result = await run();
      expect(Date.now() - started).toBeLessThan(200 + 300);
      return result;
    };

    await timed(() => store.createCredential(cred));
    expect(await timed(() => store.findCredentialByHash(cred.hash))).toEqual(cred);
    const revokedAt = Date.now();
    expect(await timed(() => store.updateCredential(cred.id, { revokedAt }))).toEqual({ ...cred, revokedAt });
    expect(await timed(() => store.findCredentialByHash(cred.hash))).toEqual({ ...cred, revokedAt });
    await timed(() => store.saveTokens([tok]));
    expect(await timed(() => store.findToken(tok.hash))).toEqual(tok);
    expect(await timed(() => store.revokeFamily(family, revokedAt))).toBe(1);
    expect((await timed(() => store.findToken(tok.hash)))?.revokedAt).toBe(revokedAt);
    expect(await timed(() => store.deleteExpired(Date.now() + 2 * HOUR))).toBe(1);
    expect(await timed(() => store.findToken(tok.hash))).toBeNull();

    // 100 concurrent verifications while Redis is down: all correct, none waits beyond the timeout.
    const started = Date.now();
    const many = await Promise.all(Array.from({ length: 100 }, () => store.findCredentialByHash(cred.hash)));
    for (const r of many) expect(r).toEqual({ ...cred, revokedAt });
    expect(Date.now() - started).toBeLessThan(200 + 300);

    expect(errors.length).toBeGreaterThan(0);
    for (const err of errors) expect(err).toBeInstanceOf(StoreError);
    expect(db.count('findCredentialByHash')).toBe(102);
  });

  it('falls through at once on a client the application already closed', async () => {
    const redis = new Redis({ host: '127.0.0.1', port: await freePort(), lazyConnect: true });
    redis.on('error', () => {});
    redis.disconnect();
    const store = redisCachedAuthStore(memoryAuthStore(), { redis, commandTimeout: '5s' });
    const cred = credential();
    await store.createCredential(cred);
    const started = Date.now();
    expect(await store.findCredentialByHash(cred.hash)).toEqual(cred);
    expect(await store.updateCredential(cred.id, { name: 'renamed' })).toEqual({ ...cred, name: 'renamed' });
    expect(Date.now() - started).toBeLessThan(500);
  });
});

describe('redisCachedAuthStore options', () => {
  it('rejects a missing client, a non-store, and non-positive or invalid durations with ConfigError', async () => {
    const redis = await redisA();
    const db = memoryAuthStore();
    expect(() => redisCachedAuthStore(db, {} as RedisCachedAuthStoreOptions)).toThrow(ConfigError);
    expect(() => redisCachedAuthStore({} as AuthStore, { redis })).toThrow(ConfigError);
    expect(() => redisCachedAuthStore(db, { redis, ttl: 0 })).toThrow(ConfigError);
    expect(() => redisCachedAuthStore(db, { redis, ttl: 'soon' as '1s' })).toThrow(ConfigError);
    expect(() => redisCachedAuthStore(db, { redis, commandTimeout: -1 })).toThrow(ConfigError);
    expect(() => redisCachedAuthStore(db, { redis, prefix: 1 as unknown as string })).toThrow(ConfigError);
  });
});
