import { sha256 } from '../crypto/hash.js';
import { ConfigError, LockError, ReauthenticationRequiredError, StoreError } from '../errors.js';
import { toMs, type Duration } from '../util/duration.js';
import { type AppliedCredential, authorizationCredential, type CredentialSource, withCredentialNow } from './credential-source.js';
import type { Grant } from './grant.js';
import { memoryTokenStore } from './memory-token-store.js';
import type { TokenSet } from './token-set.js';
import type { StoredTokenSet, TokenStore } from './token-store.js';

/** Options for {@link createTokenManager}. */
export interface TokenManagerOptions {
  /** Where token sets live. Default: a fresh {@link memoryTokenStore} for this manager. */
  store?: TokenStore;
  /**
   * Renew this long before expiry (refresh ahead). Default 60 s. Never more than half the token's
   * lifetime, so short-lived tokens are not renewed on every call.
   */
  refreshSkew?: Duration;
  /**
   * Lifetime assumed when the server sends no `expires_in`. Default 10 minutes; a 401 from the API
   * (through `authFetch` or an adapter) renews earlier if the token dies sooner.
   */
  defaultLifetime?: Duration;
  /** Clock for token expiry, epoch ms. Default `Date.now`. */
  now?: () => number;
  /** Cross-process coordination, used when the store offers `acquireLock`. */
  lock?: {
    /** Lease of the renewal lock; extended while a slow token request is in flight. Default 30 s. */
    lease?: Duration;
    /** How long to wait for another process's renewal before giving up with a `LockError`. Default 30 s. */
    wait?: Duration;
    /** How often a waiter retries the lock when the store cannot notify it. Default 250 ms. */
    pollInterval?: Duration;
  };
  /** Prefix of store keys. Default `auth:tokens`. */
  namespace?: string;
}

/**
 * Caches a grant's tokens per subject and renews them: one renewal in flight per (grant, subject) in
 * this process (and across processes when the store has locks), refresh ahead of expiry, refresh-token
 * rotation persisted before anyone sees the new access token, compare-and-set so a late response never
 * overwrites a newer token set. It is a {@link CredentialSource}: pass it to `authFetch`.
 */
export interface TokenManager extends CredentialSource {
  readonly scheme: 'oauth';
  readonly grant: Grant;
  /** A valid access token, renewing (once, shared by all concurrent callers) if needed. */
  getAccessToken(subject?: string): Promise<string>;
  /** The valid token set, renewing if needed. */
  getTokenSet(subject?: string): Promise<TokenSet>;
  /** Save a token set obtained elsewhere, typically `grant.handleCallback(...)` for a user. */
  set(subject: string | undefined, tokenSet: TokenSet): Promise<void>;
  /** Forget the subject's tokens locally (no request to the server). */
  invalidate(subject?: string): Promise<void>;
  /**
   * Revoke the subject's refresh and access tokens (RFC 7009), then forget them. The local copy is
   * dropped even if revocation fails; the error is still thrown.
   */
  revoke(subject?: string): Promise<void>;
}

/** Subjects whose store key a token manager remembers before starting over. */
const KEY_MEMO_MAX = 10_000;

function durationMs(value: Duration | undefined, fallback: Duration, what: string): number {
  try {
    return toMs(value ?? fallback);
  } catch (cause) {
    throw new ConfigError(`createTokenManager: ${what} is not a valid duration`, { cause });
  }
}

function assertTokenSet(value: unknown): asserts value is TokenSet {
  const set = value as Partial<TokenSet> | null;
  if (
    typeof set !== 'object' ||
    set === null ||
    typeof set.accessToken !== 'string' ||
    set.accessToken === '' ||
    set.tokenType !== 'Bearer' ||
    !(set.expiresAt === null || Number.isFinite(set.expiresAt)) ||
    !Number.isFinite(set.obtainedAt) ||
    !(set.refreshToken === undefined || typeof set.refreshToken === 'string')
  ) {
    throw new ConfigError('set(): not a valid TokenSet');
  }
}

/**
 * Wrap a grant with a token cache and single-flight renewal.
 *
 * @example
 * ```ts
 * const tokens = createTokenManager(clientCredentials({ tokenEndpoint, clientId, clientSecret }), {
 *   refreshSkew: '2m',
 * });
 * const token = await tokens.getAccessToken();
 * const api = authFetch(tokens);
 * ```
 */
export function createTokenManager(grant: Grant, options: TokenManagerOptions = {}): TokenManager {
  if (!grant || typeof grant.requestToken !== 'function' || typeof grant.identity !== 'string') {
    throw new ConfigError('createTokenManager: the first argument must be a grant');
  }
  const store = options.store ?? memoryTokenStore();
  const now = options.now ?? Date.now;
  const skewMs = durationMs(options.refreshSkew, '60s', 'refreshSkew');
  const defaultLifetimeMs = durationMs(options.defaultLifetime, '10m', 'defaultLifetime');
  const leaseMs = durationMs(options.lock?.lease, '30s', 'lock.lease');
  const lockWaitMs = durationMs(options.lock?.wait, '30s', 'lock.wait');
  const pollMs = durationMs(options.lock?.pollInterval, '250ms', 'lock.pollInterval');
  if (leaseMs < 100) throw new ConfigError('createTokenManager: lock.lease must be at least 100 ms');
  const namespace = options.namespace ?? 'auth:tokens';
  const inflight = new Map<string, Promise<StoredTokenSet>>();

  // Store keys are a hash per subject: computing one costs more than the whole cached path, so they are
  // memoised (bounded: the memo starts over once it holds KEY_MEMO_MAX subjects).
  let defaultKey: string | undefined;
  const subjectKeys = new Map<string, string>();
  function keyFor(subject: string | undefined): string {
    if (subject === undefined) return (defaultKey ??= storeKey(undefined));
    if (typeof subject !== 'string' || subject === '') throw new ConfigError('subject must be a non-empty string');
    let key = subjectKeys.get(subject);
    if (key === undefined) {
      if (subjectKeys.size >= KEY_MEMO_MAX) subjectKeys.clear();
      key = storeKey(subject);
      subjectKeys.set(subject, key);
    }
    return key;
  }
  function storeKey(subject: string | undefined): string {
    // Hashed: fixed length and charset for any backend, and no user identifiers in key listings.
    return `${namespace}:${sha256(JSON.stringify([grant.identity, subject ?? null]))}`;
  }

  const expiryOf = (set: TokenSet) => set.expiresAt ?? set.obtainedAt + defaultLifetimeMs;
  const isFresh = (set: TokenSet) => {
    const expiry = expiryOf(set);
    return now() < expiry - Math.min(skewMs, Math.max(0, (expiry - set.obtainedAt) / 2));
  };
  const notExpired = (set: TokenSet) => now() < expiryOf(set);

  async function renewAndWrite(key: string, base: StoredTokenSet | null): Promise<StoredTokenSet> {
    let next: TokenSet;
    try {
      next = base?.tokenSet.refreshToken ? await grant.refresh(base.tokenSet.refreshToken) : await grant.requestToken();
    } catch (err) {
      if (err instanceof ReauthenticationRequiredError && base) {
        // Another process may have rotated this refresh token while ours was in flight (a lease that
        // lapsed under a long stall): its newer set is valid, so use it instead of signing out.
        const latest = await store.get(key);
        if (latest && latest.version !== base.version && notExpired(latest.tokenSet)) return latest;
        // Only the set that failed is cleared: a newer one written meanwhile stays.
        await store.delete(key, base.version);
      }
      throw err;
    }
    if (next.scope === undefined && base?.tokenSet.scope !== undefined && base.tokenSet.refreshToken) {
      next.scope = base.tokenSet.scope;
    }
    // The write (with any rotated refresh token) completes before any caller sees the access token.
    const written = await store.compareAndSet(key, next, base?.version ?? null);
    if (written.ok) return { tokenSet: next, version: written.version };
    // A newer token set was written while this request was in flight: it wins, ours is dropped.
    const winner = await store.get(key);
    if (winner) return winner;
    const retry = await store.compareAndSet(key, next, null);
    if (retry.ok) return { tokenSet: next, version: retry.version };
    const latest = await store.get(key);
    if (latest) return latest;
    throw new StoreError('The token store keeps changing under a renewal');
  }

  async function renewUnderLock(
    key: string,
    lockStore: Required<Pick<TokenStore, 'acquireLock'>>,
    seen: StoredTokenSet | null,
    usable: (set: TokenSet) => boolean,
  ): Promise<StoredTokenSet> {
    const deadline = Date.now() + lockWaitMs;
    const lockKey = `${key}:lock`;
    for (;;) {
      const lock = await lockStore.acquireLock(lockKey, leaseMs);
      if (lock) {
        let heartbeat: ReturnType<typeof setInterval> | undefined;
        try {
          // Another process may have renewed between our read and the lock.
          const current = await store.get(key);
          if (current && current.version !== seen?.version && usable(current.tokenSet)) return current;
          heartbeat = setInterval(() => {
            lock.extend(leaseMs).catch(() => {});
          }, Math.max(50, Math.floor(leaseMs / 3)));
          heartbeat.unref?.();
          return await renewAndWrite(key, current);
        } finally {
          clearInterval(heartbeat);
          await lock.release().catch(() => {});
        }
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new LockError('Timed out waiting for another process to renew the token');
      const wait = Math.min(remaining, pollMs);
      if (store.waitForUpdate) await store.waitForUpdate(key, seen?.version ?? null, wait);
      else await new Promise((resolve) => setTimeout(resolve, wait));
      const current = await store.get(key);
      if (current && current.version !== seen?.version && usable(current.tokenSet)) return current;
      seen = current;
    }
  }

  async function runRenewal(key: string, seen: StoredTokenSet | null, usable: (set: TokenSet) => boolean) {
    // A renewal that finished between the caller's read and now already did the work.
    const latest = await store.get(key);
    if (latest && latest.version !== seen?.version && usable(latest.tokenSet)) return latest;
    const { acquireLock } = store;
    if (!acquireLock) return renewAndWrite(key, latest);
    return renewUnderLock(key, { acquireLock: acquireLock.bind(store) }, latest, usable);
  }

  function renew(key: string, seen: StoredTokenSet | null, usable: (set: TokenSet) => boolean): Promise<StoredTokenSet> {
    const existing = inflight.get(key);
    if (existing) return existing;
    const flight = runRenewal(key, seen, usable).finally(() => inflight.delete(key));
    inflight.set(key, flight);
    return flight;
  }

  // The credential last handed out per subject: while its token is current, every request gets the same
  // frozen object (no allocation per request, and interceptors can recognise a repeat by identity).
  // The entry also keeps the token set, so `credentialNow` can tell whether the token is still fresh; it
  // is dropped whenever this manager renews, replaces, invalidates or revokes the subject's token.
  const applied = new Map<string | undefined, { credential: AppliedCredential; set: TokenSet }>();
  // Bumped with every drop: a `credential()` that read the store before one must not put back what the
  // drop removed (it still resolves with what it read, as before).
  let generation = 0;
  const drop = (subject: string | undefined) => {
    generation++;
    applied.delete(subject);
  };
  function appliedFor(subject: string | undefined, set: TokenSet, started: number): AppliedCredential {
    const previous = applied.get(subject);
    if (previous?.credential.token === set.accessToken) {
      if (started === generation) previous.set = set;
      return previous.credential;
    }
    const fresh = authorizationCredential('Bearer', set.accessToken, subject);
    const credential = Object.freeze({ ...fresh, headers: Object.freeze({ ...fresh.headers }), query: Object.freeze({}) });
    if (started !== generation) return credential;
    if (applied.size >= 1000 && !applied.has(subject)) applied.delete(applied.keys().next().value);
    applied.set(subject, { credential, set });
    return credential;
  }

  async function getTokenSet(subject?: string): Promise<TokenSet> {
    const key = keyFor(subject);
    const current = await store.get(key);
    if (current && isFresh(current.tokenSet)) return current.tokenSet;
    try {
      return (await renew(key, current, isFresh)).tokenSet;
    } catch (err) {
      // Refresh-ahead failed for a transient reason while the token is still valid: keep using it.
      if (current && !(err instanceof ReauthenticationRequiredError) && notExpired(current.tokenSet)) {
        return current.tokenSet;
      }
      throw err;
    }
  }

  const manager: TokenManager = {
    scheme: 'oauth',
    renewable: true,
    grant,
    getTokenSet,
    getAccessToken(subject) {
      return getTokenSet(subject).then((set) => set.accessToken);
    },
    credential(request = {}) {
      const subject = request.subject;
      const started = generation;
      return getTokenSet(subject).then((set) => appliedFor(subject, set, started));
    },
    async renew(rejected: AppliedCredential) {
      // The rejected token must not be handed out again without the store being asked.
      if (applied.get(rejected.subject)?.credential.token === rejected.token) drop(rejected.subject);
      const key = keyFor(rejected.subject);
      const usable = (set: TokenSet) => set.accessToken !== rejected.token && notExpired(set);
      const current = await store.get(key);
      // Already replaced (by the renewal another rejected request triggered): retry with the newer one.
      const renewed = current && usable(current.tokenSet) ? current : await renew(key, current, usable);
      return authorizationCredential('Bearer', renewed.tokenSet.accessToken, rejected.subject);
    },
    async set(subject, tokenSet) {
      assertTokenSet(tokenSet);
      drop(subject);
      const key = keyFor(subject);
      for (let attempt = 0; attempt < 5; attempt++) {
        const current = await store.get(key);
        if ((await store.compareAndSet(key, tokenSet, current?.version ?? null)).ok) return;
      }
      throw new StoreError('set(): the token store kept changing; the token set was not saved');
    },
    async invalidate(subject) {
      drop(subject);
      await store.delete(keyFor(subject));
    },
    async revoke(subject) {
      drop(subject);
      const key = keyFor(subject);
      const current = await store.get(key);
      if (!current) return;
      try {
        if (current.tokenSet.refreshToken) await grant.revokeToken(current.tokenSet.refreshToken, 'refresh_token');
        await grant.revokeToken(current.tokenSet.accessToken, 'access_token');
      } finally {
        await store.delete(key);
      }
    },
  };
  // What credential() last resolved to for the subject, while its token is fresh (non-enumerable: see
  // CredentialSource.credentialNow).
  return withCredentialNow(manager, (request = {}) => {
    const entry = applied.get(request.subject);
    return entry !== undefined && isFresh(entry.set) ? entry.credential : undefined;
  });
}
