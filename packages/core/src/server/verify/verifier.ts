/**
 * The per-request hot path: turn a request's headers into a {@link Principal} or a typed RFC 6750 error.
 *
 * @module
 */
import { parseSecret } from '../../crypto/token-format.js';
import {
  type ChallengeError,
  ConfigError,
  InsufficientScopeError,
  InvalidRequestError,
  InvalidTokenError,
  MissingCredentialsError,
  type ChallengeOptions,
} from '../../errors.js';
import type { ServerContext } from '../context.js';
import type { CsrfRequest, Session, SessionCache, SessionCookies } from '../cookies/session-cookies.js';
import { hasScopes, type AuthMethod, type Principal } from '../principal.js';
import type { CredentialKind, CredentialRecord } from '../store.js';
import { parseAuthorization } from './authorization-header.js';
import { createCredentialCache, valueKey } from './credential-cache.js';
import { readSingleValue, type HeaderAccessor, type QueryAccessor, type SingleValueRules } from './header-accessor.js';
import { createLastUsedBatcher } from './last-used-batcher.js';
import { resolveMethods, type VerifierMethods } from './verifier-options.js';

export type { VerifierMethods } from './verifier-options.js';

/** Per-route options of {@link Verifier.verify}. */
export interface VerifyOptions {
  /** Scopes the route needs; all must be held, else 403 `insufficient_scope`. */
  scopes?: readonly string[];
  /**
   * The request's HTTP method, for CSRF protection of cookie-authenticated requests. When missing, the
   * request counts as unsafe (a CSRF proof is required), so adapters should always pass it.
   */
  httpMethod?: string;
  /** Query parameters, for the opt-in query-parameter API key. */
  query?: QueryAccessor;
  /**
   * Methods this route accepts, e.g. `['secret']` on the few endpoints seed 003 opens to `Secret`.
   * Default: the verifier's `defaultAllow`. Methods not enabled on the verifier stay off.
   */
  allow?: readonly AuthMethod[];
  /** CSRF token from a form field, when the adapter parsed a form body (the header is read directly). */
  csrfToken?: string;
}

/** What the verifier needs from the authorization server: OAuth access-token checks (opaque or JWT). */
export interface AccessTokenVerifier {
  /** A principal with method `access_token`, or null for an unknown, expired or revoked token. */
  verifyAccessToken(token: string): Promise<Principal | null>;
}

/** Collaborators of {@link createVerifier}. */
export interface VerifierDeps {
  sessions: SessionCookies;
  oauth: AccessTokenVerifier;
}

/** Verifies requests. */
export interface Verifier {
  /**
   * Authenticate a request from its headers. Resolves to the caller's {@link Principal}; rejects with
   * `MissingCredentialsError` (401), `InvalidRequestError` (400), `InvalidTokenError` (401),
   * `InsufficientScopeError` (403) or `CsrfError` (403), all rendered by `errorResponse`.
   *
   * @example
   * ```ts
   * const principal = await verifier.verify((name) => req.headers[name], {
   *   scopes: ['contacts:read'],
   *   httpMethod: req.method,
   * });
   * ```
   */
  verify(getHeader: HeaderAccessor, options?: VerifyOptions): Promise<Principal>;
  /**
   * The principal of a request that settles from the warm cache without waiting for anything, or
   * `undefined`: then call {@link Verifier.verify}, which decides the request and produces every error.
   * For adapters, so that a warm request goes on in the same turn: in Express an asynchronous `next()`
   * alone costs about as much as the whole warm verification.
   *
   * A principal comes only from a repeat of a header value that verified before, after the same checks
   * `verify` makes on it every time (one credential, `allow`, the record's kind, revocation and expiry,
   * the route's `scopes`), or from a session cookie whose session is valid and passes the CSRF checks.
   * `undefined` for everything else: a value not seen before, any irregularity, a scope the credential
   * lacks, a session cookie while `cookies.isRevoked` is configured, and every request while
   * `accounts.permissions` is configured (both hooks are asked on every request, asynchronously). Never
   * throws and never starts work it does not finish: a caller that gets `undefined` loses nothing.
   *
   * @example
   * ```ts
   * const principal = auth.verifyWarm(getHeader, options) ?? (await auth.verify(getHeader, options));
   * ```
   */
  verifyWarm(getHeader: HeaderAccessor, options?: VerifyOptions): Principal | undefined;
  /** Flush pending last-used times, stop the timer and leave the invalidation bus. */
  close(): Promise<void>;
}

/**
 * A credential found in the request, before it is checked. `raw` is the header value exactly as the
 * accessor returned it (before trimming), and `via` the header it came from, when it can key the warm
 * fast path; the API-key triple also keeps its two id headers as received.
 */
type Presented = (
  | { type: 'api_key'; key: string; businessId: string | undefined; userId: string | undefined }
  | { type: 'legacy_api_key'; key: string }
  | { type: 'authorization'; scheme: string; token: string }
) & {
  raw: string;
  via: 'authorization' | 'x-api-key' | undefined;
  businessRaw?: unknown;
  userRaw?: unknown;
  /** Set once the secret is hashed, for {@link Remembered}. */
  hash?: string;
};

/**
 * What the full path concluded about one presented header value: the method and the secret's hash. The
 * conclusion is a pure function of the value (and, for the API-key triple, of the two id headers that
 * came with it), so a repeat of the exact value skips parsing, the checksum and the HMAC; the record or
 * principal itself is still read from the TTL'd cache and re-checked on every request.
 */
interface Remembered {
  readonly via: 'authorization' | 'x-api-key';
  readonly raw: string;
  readonly method: Exclude<AuthMethod, 'cookie'>;
  readonly hash: string;
  /** API keys: the X-BUSINESS-ID / X-USER-ID values as received, and as the record must hold them. */
  readonly businessRaw: unknown;
  readonly userRaw: unknown;
  readonly businessId: string | undefined;
  readonly userId: string | undefined;
  /** Whether a route with the default `allow` accepts `method` (configuration is fixed: decided once). */
  readonly byDefault: boolean;
}

/**
 * A principal that shares no state with `p` (the caller may change what it is handed). Its seven fields
 * written out, not spread: one allocation of a fixed shape, where a spread goes through V8's generic
 * object-cloning path on every warm request.
 */
function copyPrincipal(p: Principal): Principal {
  return {
    method: p.method,
    userId: p.userId,
    businessId: p.businessId,
    clientId: p.clientId,
    scopes: p.scopes.slice(),
    credentialId: p.credentialId,
    expiresAt: p.expiresAt,
  };
}

const SCHEMES: Record<AuthMethod, string> = {
  api_key: 'ApiKey',
  legacy_api_key: 'ApiKey',
  personal_token: 'Bearer',
  access_token: 'Bearer',
  secret: 'Secret',
  cookie: 'Cookie',
};
/** Order in which a route's accepted methods pick the scheme of a bare 401 challenge. */
const CHALLENGE_ORDER: readonly AuthMethod[] = [
  'access_token',
  'personal_token',
  'api_key',
  'legacy_api_key',
  'secret',
  'cookie',
];
/** Spellings of one secret (case of the scheme, spacing) remembered at most: bounds the reverse index. */
const MAX_SPELLINGS = 4;
const MAX_API_KEY_LENGTH = 256;
const MAX_ID_LENGTH = 256;
const JWT_RE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** The kind of stored record each record-backed method needs. */
const RECORD_KIND: Record<Exclude<AuthMethod, 'cookie' | 'access_token'>, CredentialKind> = {
  api_key: 'api_key',
  legacy_api_key: 'api_key',
  personal_token: 'personal_token',
  secret: 'secret',
};

/** Header rules for one route challenge, built once: `readSingleValue` only reads them. */
interface RouteRules {
  authorization: SingleValueRules;
  apiKey: SingleValueRules;
  businessId: SingleValueRules;
  userId: SingleValueRules;
  legacyHeader: SingleValueRules;
  legacyQuery: SingleValueRules;
}

/**
 * Create the verifier. Options are validated at once (`ConfigError`).
 *
 * Scopes: a stored credential bound to a user (API key, personal token, secret) and a session cookie get
 * the credential's scopes intersected with `accounts.permissions(userId, businessId)`, called on every
 * verification so a removed permission takes effect at once; `null` from it refuses the credential.
 *
 * Warm path: once a header value has verified, a repeat of the exact same value (and, for the API-key
 * triple, the same id headers) is matched by a `Map` lookup (keyed by `valueKey`, the whole string then
 * compared), skipping parsing, the checksum and the hash; the record it stands for is still read from the
 * TTL'd cache and re-checked (kind, revocation, expiry, `allow`, permissions, scopes) on every request.
 * Anything unusual (a repeated header, a second credential, a value not seen before) takes the full path.
 *
 * @example
 * ```ts
 * const verifier = createVerifier(ctx, { apiKey: true, bearer: true }, { sessions, oauth });
 * const principal = await verifier.verify((name) => req.headers[name], { scopes: ['read'] });
 * ```
 */
export function createVerifier(ctx: ServerContext, methods: VerifierMethods | undefined, deps: VerifierDeps): Verifier {
  const cfg = resolveMethods(methods);
  const enabled = new Set<AuthMethod>(CHALLENGE_ORDER.filter((m) => isEnabled(m)));
  const challenges = Object.fromEntries(
    CHALLENGE_ORDER.map((m) => [m, { scheme: SCHEMES[m], realm: cfg.realm } satisfies ChallengeOptions]),
  ) as Record<AuthMethod, ChallengeOptions>;
  const prefixes = {
    apiKey: ctx.prefix('apiKey'),
    personalToken: ctx.prefix('personalToken'),
    secret: ctx.prefix('secret'),
    accessToken: ctx.prefix('accessToken'),
  };
  // Like the API-key headers, `Authorization` is a credential only when a scheme that uses it is on:
  // an API-key-only service behind a Basic-auth proxy must not see "two credentials".
  const readsAuthorization = cfg.personalTokens || cfg.accessTokens || cfg.secret;
  const legacyOnSameHeader = cfg.legacy?.header === 'x-api-key';
  const readsApiKey = cfg.apiKey || legacyOnSameHeader;
  const otherLegacyHeader = cfg.legacy && !legacyOnSameHeader ? cfg.legacy.header : undefined;
  const legacyQuery = cfg.legacy?.query;

  // Remembered header values, per header, with a reverse index from the secret's hash: an entry lives
  // only while its hash is in `cache` or `tokenCache` (their `onRemove` forgets it), so invalidation,
  // the TTL and LRU eviction drop it with the cached record, and the index stays as bounded as the caches.
  const byAuthorization = new Map<number, Remembered>();
  const byApiKey = new Map<number, Remembered>();
  // Almost every hash has one spelling: that one is held directly, an array only from the second on (an
  // array grown by push reserves 17 slots, about 150 bytes per cached credential).
  const spellings = new Map<string, Remembered | Remembered[]>();
  const mapOf = (via: Remembered['via']) => (via === 'authorization' ? byAuthorization : byApiKey);
  // Keyed by `valueKey`, a number made from the value's tail. A hit still needs `raw` to be equal to the
  // whole value; two values with the same key only take each other's slot.
  const drop = (r: Remembered) => {
    const map = mapOf(r.via);
    const key = valueKey(r.raw);
    if (map.get(key) === r) map.delete(key);
  };
  const forget = (hash: string) => {
    const known = spellings.get(hash);
    if (!known) return;
    spellings.delete(hash);
    if (Array.isArray(known)) for (const r of known) drop(r);
    else drop(known);
  };
  const unlink = (r: Remembered) => {
    drop(r);
    const known = spellings.get(r.hash);
    if (known === r) spellings.delete(r.hash);
    else if (Array.isArray(known)) {
      const i = known.indexOf(r);
      if (i !== -1) known.splice(i, 1);
      if (known.length === 1) spellings.set(r.hash, known[0]!);
    }
  };

  const cache = createCredentialCache(cfg.cache.maxEntries, cfg.cache.ttlMs, (hash) => forget(hash));
  const inflight = new Map<string, Promise<CredentialRecord | null>>();
  // Bumped by every invalidation: a store read that started before it must not refill the cache.
  let epoch = 0;
  const lastUsed = createLastUsedBatcher({
    store: ctx.store,
    logger: ctx.logger,
    intervalMs: cfg.lastUsedFlushMs,
    maxPending: 1000,
  });
  // OAuth access tokens: principals cached by token hash, with a family index so that revoking a
  // refresh token (which revokes its family) drops every access token of the family at once.
  // A family usually has one cached access token (client_credentials: one per family): its hash is held
  // directly, a Set only from the second on.
  const families = new Map<string, string | Set<string>>();
  const addToFamily = (familyId: string, hash: string) => {
    const known = families.get(familyId);
    if (known === undefined) families.set(familyId, hash);
    else if (typeof known === 'string') {
      if (known !== hash) families.set(familyId, new Set([known, hash]));
    } else known.add(hash);
  };
  const removeFromFamily = (familyId: string, hash: string) => {
    const known = families.get(familyId);
    if (known === hash) families.delete(familyId);
    else if (typeof known === 'object') {
      known.delete(hash);
      if (known.size === 0) families.delete(familyId);
    }
  };
  const tokenCache = createCredentialCache<Principal>(cfg.cache.maxEntries, cfg.cache.ttlMs, (hash, principal) => {
    forget(hash);
    if (principal.credentialId !== null) removeFromFamily(principal.credentialId, hash);
  });
  const tokenInflight = new Map<string, Promise<Principal | null>>();
  // Opened session cookies by exact cookie value; `sessions.inspect` bounds each entry by the session's
  // own expiry and still asks `isRevoked` on every request. Keyed by `valueKey` (the seal ends with the
  // GCM tag, unique per seal); the entry keeps the full value, compared before a hit counts.
  const sessionEntries = createCredentialCache<{ value: string; session: Session }, number>(cfg.cache.maxEntries, cfg.cache.ttlMs);
  const sessionCache: SessionCache = {
    get(value, now) {
      const entry = sessionEntries.get(valueKey(value), now);
      return entry !== undefined && entry.value === value ? entry.session : undefined;
    },
    set(value, session, now, notAfter) {
      sessionEntries.set(valueKey(value), { value, session }, now, notAfter);
    },
  };
  const unsubscribe = ctx.invalidation.subscribe((event) => {
    epoch++;
    if (event.type === 'credential') {
      cache.delete(event.hash);
      inflight.delete(event.hash);
      forget(event.hash);
    } else if (event.type === 'token') {
      tokenCache.delete(event.hash);
      tokenInflight.delete(event.hash);
      forget(event.hash);
    } else if (event.type === 'family') {
      const known = families.get(event.familyId);
      if (typeof known === 'string') tokenCache.delete(known);
      else if (known) for (const hash of [...known]) tokenCache.delete(hash);
      // A lookup in flight cannot be matched to its family before it resolves; new callers must not join it.
      tokenInflight.clear();
    }
  });

  function isEnabled(m: AuthMethod): boolean {
    switch (m) {
      case 'api_key':
        return cfg.apiKey;
      case 'legacy_api_key':
        return cfg.legacy !== undefined;
      case 'personal_token':
        return cfg.personalTokens;
      case 'access_token':
        return cfg.accessTokens;
      case 'secret':
        return cfg.secret;
      case 'cookie':
        return cfg.cookie;
    }
  }

  /** Whether a route with this `allow` (undefined: the default) accepts method `m`. */
  const accepts = (allow: readonly AuthMethod[] | undefined, m: AuthMethod) =>
    enabled.has(m) && (allow ? allow.includes(m) : cfg.defaultAllow.has(m));
  /** `accepts(undefined, 'cookie')`, for the warm path. */
  const cookieByDefault = accepts(undefined, 'cookie');

  // Every API-key failure (unknown, revoked, expired, wrong business or user, missing id header, user
  // gone) is built here so the caller cannot tell them apart.
  const invalidApiKey = () => new InvalidTokenError('The API key credentials are invalid', challenges.api_key);
  const invalidBearer = () => new InvalidTokenError('The access token is invalid', challenges.access_token);
  const invalidSecret = () => new InvalidTokenError('The secret is invalid', challenges.secret);
  const failures: Record<Exclude<AuthMethod, 'cookie' | 'access_token'>, () => ChallengeError> = {
    api_key: invalidApiKey,
    legacy_api_key: invalidApiKey,
    personal_token: invalidBearer,
    secret: invalidSecret,
  };

  const rule = (label: string, maxLength: number, challenge: ChallengeOptions): SingleValueRules => ({
    label,
    maxLength,
    noCommas: true,
    allowSpaces: label === 'Authorization header',
    challenge,
  });
  const routeRules = new Map<ChallengeOptions, RouteRules>(
    Object.values(challenges).map((route) => [
      route,
      {
        authorization: rule('Authorization header', cfg.maxCredentialLength, route),
        apiKey: rule('X-API-KEY header', MAX_API_KEY_LENGTH, route),
        businessId: rule('X-BUSINESS-ID header', MAX_ID_LENGTH, route),
        userId: rule('X-USER-ID header', MAX_ID_LENGTH, route),
        legacyHeader: rule('API key header', MAX_API_KEY_LENGTH, route),
        legacyQuery: rule('API key query parameter', MAX_API_KEY_LENGTH, route),
      },
    ]),
  );
  const cookieRules = new Map<string, SingleValueRules>(
    [deps.sessions.csrfHeader, 'sec-fetch-site', 'origin'].map((name) => [name, rule(name, 512, challenges.cookie)]),
  );
  const cookieHeader = (getHeader: HeaderAccessor, name: string) => readSingleValue(getHeader(name), cookieRules.get(name)!);
  const invalidSession = () => new InvalidTokenError('The session is invalid or has expired', challenges.cookie);
  const notAccepted = (m: AuthMethod, route: ChallengeOptions) =>
    new InvalidTokenError(`${SCHEMES[m]} credentials are not accepted for this resource`, route);
  /** The challenge of a bare 401 on a route: its first accepted method in {@link CHALLENGE_ORDER}. */
  const routeChallenge = (allow: readonly AuthMethod[] | undefined): ChallengeOptions => {
    for (const m of CHALLENGE_ORDER) if (accepts(allow, m)) return challenges[m];
    return challenges.access_token;
  };
  const defaultRoute = routeChallenge(undefined);

  async function lookup(hash: string): Promise<CredentialRecord | null> {
    const hit = cache.get(hash, ctx.now());
    if (hit) return hit;
    let pending = inflight.get(hash);
    if (!pending) {
      const started = epoch;
      pending = ctx.store
        .findCredentialByHash(hash)
        .then((record) => {
          if (record && epoch === started) cache.set(hash, record, ctx.now());
          return record;
        })
        .finally(() => {
          if (inflight.get(hash) === pending) inflight.delete(hash);
        });
      inflight.set(hash, pending);
    }
    return pending;
  }

  /**
   * Remember what the full path concluded about a presented header value, so that its next repeat takes
   * the warm path. Only while the hash is cached: an entry must never outlive the record it points to.
   */
  function remember(presented: Presented, method: Remembered['method'], now: number): void {
    const { via, hash } = presented;
    if (via === undefined || hash === undefined) return;
    if (!(method === 'access_token' ? tokenCache.has(hash, now) : cache.has(hash, now))) return;
    const map = mapOf(via);
    const key = valueKey(presented.raw);
    const previous = map.get(key);
    if (previous) {
      if (
        previous.raw === presented.raw &&
        previous.hash === hash &&
        previous.businessRaw === presented.businessRaw &&
        previous.userRaw === presented.userRaw
      ) {
        return;
      }
      unlink(previous);
    }
    const known = spellings.get(hash);
    if (Array.isArray(known) && known.length >= MAX_SPELLINGS) return;
    const entry: Remembered = {
      via,
      raw: presented.raw,
      method,
      hash,
      businessRaw: presented.businessRaw,
      userRaw: presented.userRaw,
      businessId: presented.type === 'api_key' ? presented.businessId : undefined,
      userId: presented.type === 'api_key' ? presented.userId : undefined,
      byDefault: accepts(undefined, method),
    };
    if (known === undefined) spellings.set(hash, entry);
    else if (Array.isArray(known)) known.push(entry);
    else spellings.set(hash, [known, entry]);
    map.set(key, entry);
  }

  /**
   * The principal of an OAuth access token (opaque or JWT), from the warm cache when this exact token was
   * verified within the TTL: a hit skips the signature check and the store. Only valid tokens are cached,
   * and a hit is re-checked against the token's own expiry.
   */
  async function accessTokenPrincipal(presented: Presented, token: string): Promise<Principal | null> {
    const hash = ctx.hash(token);
    presented.hash = hash;
    const now = ctx.now();
    const hit = tokenCache.get(hash, now);
    if (hit && (hit.expiresAt === null || hit.expiresAt > now)) return copyPrincipal(hit);
    let pending = tokenInflight.get(hash);
    if (!pending) {
      const started = epoch;
      pending = deps.oauth
        .verifyAccessToken(token)
        .then((principal) => {
          if (principal && epoch === started) {
            const familyId = principal.credentialId;
            // Without a family id the entry could not be dropped by a family revocation: not cached.
            if (familyId !== null) {
              tokenCache.set(hash, copyPrincipal(principal), ctx.now());
              addToFamily(familyId, hash);
            }
          }
          return principal;
        })
        .finally(() => {
          if (tokenInflight.get(hash) === pending) tokenInflight.delete(hash);
        });
      tokenInflight.set(hash, pending);
    }
    const principal = await pending;
    return principal && copyPrincipal(principal);
  }

  /** Whether a record can stand for method `m` at `now`: right kind, not revoked, not expired. */
  const usable = (record: CredentialRecord, kind: CredentialKind, now: number) =>
    record.kind === kind && record.revokedAt === null && (record.expiresAt === null || record.expiresAt > now);

  /** The live record behind a presented secret, or `fail()`: junk never reaches the store. */
  async function storedCredential(
    presented: Presented,
    secret: string,
    kind: CredentialKind,
    prefix: string,
    fail: () => ChallengeError,
  ): Promise<CredentialRecord> {
    if (parseSecret(secret)?.prefix !== prefix) throw fail();
    const hash = ctx.hash(secret);
    presented.hash = hash;
    const record = await lookup(hash);
    if (!record || !usable(record, kind, ctx.now())) throw fail();
    return record;
  }

  function principalFrom(record: CredentialRecord, method: AuthMethod, scopes: readonly string[]): Principal {
    return {
      method,
      userId: record.userId,
      businessId: record.businessId,
      clientId: record.clientId,
      scopes,
      credentialId: record.id,
      expiresAt: record.expiresAt,
    };
  }

  /**
   * The principal of a live record: its scopes narrowed by `accounts.permissions` (asked on every call),
   * and its last-used time noted. Synchronous unless the permissions hook is configured, so a warm hit
   * without it costs no promise.
   */
  function fromRecord(
    record: CredentialRecord,
    method: AuthMethod,
    fail: () => ChallengeError,
    now: number,
  ): Principal | Promise<Principal> {
    const permissions = ctx.accounts.permissions;
    if (record.userId === null || !permissions) {
      lastUsed.record(record.id, now);
      return principalFrom(record, method, record.scopes.slice());
    }
    return permissions(record.userId, record.businessId).then((current) => {
      if (current === null) throw fail();
      lastUsed.record(record.id, ctx.now());
      const held = new Set(current);
      return principalFrom(
        record,
        method,
        record.scopes.filter((s) => held.has(s)),
      );
    });
  }

  /**
   * The warm path: the principal for a request whose one credential header repeats a remembered value
   * exactly, or `undefined` to take the full path (which then also produces any error). Every check the
   * full path makes that depends on more than the value itself runs here too: no second credential,
   * `allow`, the record's kind, revocation and expiry, and (in `fromRecord`) permissions. A request with
   * no credential header goes to the session cookie check, as the full path would send it.
   */
  function warm(getHeader: HeaderAccessor, options: VerifyOptions, syncOnly: boolean): Principal | Promise<Principal> | undefined {
    let hit: Remembered | undefined;
    if (readsAuthorization) {
      const value = getHeader('authorization');
      if (value !== undefined && value !== null) {
        // An array is a repeated header: the full path refuses it.
        if (typeof value !== 'string') return undefined;
        hit = byAuthorization.get(valueKey(value));
        if (hit === undefined || hit.raw !== value) return undefined;
      }
    }
    if (readsApiKey) {
      const value = getHeader('x-api-key');
      if (value !== undefined && value !== null) {
        if (hit !== undefined || typeof value !== 'string') return undefined;
        hit = byApiKey.get(valueKey(value));
        if (hit === undefined || hit.raw !== value) return undefined;
        if (cfg.apiKey && (getHeader('x-business-id') !== hit.businessRaw || getHeader('x-user-id') !== hit.userRaw)) {
          return undefined;
        }
      }
    }
    if (otherLegacyHeader !== undefined && getHeader(otherLegacyHeader) != null) return undefined;
    if (legacyQuery !== undefined && options.query && options.query(legacyQuery) != null) return undefined;
    if (hit === undefined) {
      // No credential header at all (a present one returned above): what the full path would find too,
      // so a session cookie goes straight to its own (cached) check.
      if (cfg.cookie && (options.allow === undefined ? cookieByDefault : accepts(options.allow, 'cookie'))) {
        if (syncOnly) return cookieNow(getHeader, options);
        return fromCookie(getHeader, options, options.allow === undefined ? defaultRoute : routeChallenge(options.allow));
      }
      return undefined;
    }
    const method = hit.method;
    const allow = options.allow;
    if (allow === undefined ? !hit.byDefault : !accepts(allow, method)) return undefined;
    const now = ctx.now();
    if (method === 'access_token') {
      const principal = tokenCache.get(hit.hash, now);
      if (!principal || (principal.expiresAt !== null && principal.expiresAt <= now)) return undefined;
      return copyPrincipal(principal);
    }
    const record = cache.get(hit.hash, now);
    if (!record || !usable(record, RECORD_KIND[method], now)) return undefined;
    if (method === 'api_key' && (record.businessId !== hit.businessId || record.userId !== hit.userId)) return undefined;
    return fromRecord(record, method, failures[method], now);
  }

  function collect(getHeader: HeaderAccessor, query: QueryAccessor | undefined, route: ChallengeOptions): Presented[] {
    const found: Presented[] = [];
    const rules = routeRules.get(route)!;
    if (readsAuthorization) {
      const raw = getHeader('authorization');
      const authorization = readSingleValue(raw, rules.authorization);
      if (authorization === '') throw new InvalidRequestError('The Authorization header is empty', route);
      if (authorization !== undefined) {
        // The remembered value is the one received, untrimmed: a repeat must be byte-identical.
        const via = typeof raw === 'string' ? 'authorization' : undefined;
        found.push({
          type: 'authorization',
          ...parseAuthorization(authorization, route),
          raw: typeof raw === 'string' ? raw : authorization,
          via,
        });
      }
    }

    if (readsApiKey) {
      const raw = getHeader('x-api-key');
      const key = readSingleValue(raw, rules.apiKey);
      if (key === '') throw new InvalidRequestError('The X-API-KEY header is empty', route);
      if (key !== undefined) {
        let businessId: string | undefined;
        let userId: string | undefined;
        let businessRaw: unknown;
        let userRaw: unknown;
        if (cfg.apiKey) {
          businessRaw = getHeader('x-business-id');
          userRaw = getHeader('x-user-id');
          businessId = readSingleValue(businessRaw as ReturnType<HeaderAccessor>, rules.businessId);
          userId = readSingleValue(userRaw as ReturnType<HeaderAccessor>, rules.userId);
        }
        const via = typeof raw === 'string' ? 'x-api-key' : undefined;
        const rawKey = typeof raw === 'string' ? raw : key;
        // The two modes share seed 000's and seed 002's header name: naming a business or user selects
        // the three-header scheme; a key alone is legacy only when legacy is on, and otherwise fails
        // exactly like a wrong business.
        if (cfg.apiKey && (!legacyOnSameHeader || businessId || userId)) {
          found.push({
            type: 'api_key',
            key,
            businessId: businessId || undefined,
            userId: userId || undefined,
            businessRaw,
            userRaw,
            raw: rawKey,
            via,
          });
        } else {
          found.push({ type: 'legacy_api_key', key, businessRaw, userRaw, raw: rawKey, via });
        }
      }
    }
    if (otherLegacyHeader !== undefined) {
      const key = readSingleValue(getHeader(otherLegacyHeader), rules.legacyHeader);
      if (key === '') throw new InvalidRequestError('The API key header is empty', route);
      if (key !== undefined) found.push({ type: 'legacy_api_key', key, raw: key, via: undefined });
    }
    if (legacyQuery !== undefined && query) {
      const key = readSingleValue(query(legacyQuery), rules.legacyQuery);
      if (key === '') throw new InvalidRequestError('The API key query parameter is empty', route);
      if (key !== undefined) found.push({ type: 'legacy_api_key', key, raw: key, via: undefined });
    }
    return found;
  }

  async function fromPresented(
    presented: Presented,
    allow: readonly AuthMethod[] | undefined,
    route: ChallengeOptions,
  ): Promise<Principal> {
    if (presented.type === 'api_key') {
      if (!accepts(allow, 'api_key')) throw notAccepted('api_key', route);
      const record = await storedCredential(presented, presented.key, 'api_key', prefixes.apiKey, invalidApiKey);
      if (record.businessId !== presented.businessId || record.userId !== presented.userId) throw invalidApiKey();
      return fromRecord(record, 'api_key', invalidApiKey, ctx.now());
    }
    if (presented.type === 'legacy_api_key') {
      if (!accepts(allow, 'legacy_api_key')) throw notAccepted('legacy_api_key', route);
      const record = await storedCredential(presented, presented.key, 'api_key', prefixes.apiKey, invalidApiKey);
      return fromRecord(record, 'legacy_api_key', invalidApiKey, ctx.now());
    }
    const { scheme, token } = presented;
    if (scheme === 'bearer' && (cfg.personalTokens || cfg.accessTokens)) {
      const prefix = parseSecret(token)?.prefix;
      if (prefix === prefixes.personalToken && cfg.personalTokens) {
        if (!accepts(allow, 'personal_token')) throw notAccepted('personal_token', route);
        const record = await storedCredential(presented, token, 'personal_token', prefixes.personalToken, invalidBearer);
        return fromRecord(record, 'personal_token', invalidBearer, ctx.now());
      }
      const accessTokenShape = prefix === undefined ? JWT_RE.test(token) : prefix === prefixes.accessToken;
      if (accessTokenShape && cfg.accessTokens) {
        if (!accepts(allow, 'access_token')) throw notAccepted('access_token', route);
        const principal = await accessTokenPrincipal(presented, token);
        if (!principal) throw invalidBearer();
        return principal;
      }
      throw invalidBearer();
    }
    if (scheme === 'secret' && cfg.secret) {
      if (!accepts(allow, 'secret')) throw notAccepted('secret', route);
      const record = await storedCredential(presented, token, 'secret', prefixes.secret, invalidSecret);
      return fromRecord(record, 'secret', invalidSecret, ctx.now());
    }
    throw new InvalidTokenError('The authorization scheme is not supported', route);
  }

  async function fromCookie(getHeader: HeaderAccessor, options: VerifyOptions, route: ChallengeOptions): Promise<Principal> {
    const cookieChallenge = challenges.cookie;
    const result = await deps.sessions.inspect(getHeader('cookie'), sessionCache);
    if (result.status === 'absent') throw new MissingCredentialsError(undefined, route);
    if (result.status === 'invalid') {
      if (result.reason === 'duplicate') {
        throw new InvalidRequestError('The session cookie was sent more than once', cookieChallenge);
      }
      throw new InvalidTokenError('The session is invalid or has expired', cookieChallenge);
    }
    const session = result.session;
    // The header rules (repeats, size, characters) apply to every request, safe or not, as before.
    deps.sessions.assertCsrf(session, csrfRequest(getHeader, options));
    const permissions = ctx.accounts.permissions;
    if (!permissions) return sessionPrincipal(session, session.scopes.slice());
    const current = await permissions(session.userId, session.businessId);
    if (current === null) throw invalidSession();
    const held = new Set(current);
    return sessionPrincipal(
      session,
      session.scopes.filter((s) => held.has(s)),
    );
  }

  /** What the CSRF checks of a cookie-authenticated request read. */
  function csrfRequest(getHeader: HeaderAccessor, options: VerifyOptions): CsrfRequest {
    return {
      httpMethod: options.httpMethod,
      token: cookieHeader(getHeader, deps.sessions.csrfHeader) || options.csrfToken,
      secFetchSite: cookieHeader(getHeader, 'sec-fetch-site'),
      origin: cookieHeader(getHeader, 'origin'),
    };
  }

  /**
   * {@link fromCookie} when it can be settled in this turn: a valid session (cached or opened), no
   * `isRevoked` hook to wait for, and the CSRF checks passed. `undefined` otherwise, with
   * nothing left pending: `fromCookie` then decides, errors included.
   */
  function cookieNow(getHeader: HeaderAccessor, options: VerifyOptions): Principal | undefined {
    const result = deps.sessions.inspectNow(getHeader('cookie'), sessionCache);
    if (result?.status !== 'valid') return undefined;
    const session = result.session;
    try {
      deps.sessions.assertCsrf(session, csrfRequest(getHeader, options));
    } catch {
      return undefined;
    }
    return sessionPrincipal(session, session.scopes.slice());
  }

  function sessionPrincipal(session: Session, scopes: readonly string[]): Principal {
    return {
      method: 'cookie',
      userId: session.userId,
      businessId: session.businessId,
      clientId: null,
      scopes,
      credentialId: session.id,
      expiresAt: session.expiresAt,
    };
  }

  /** Whether `allow` and `scopes` are arrays or absent (`verify` refuses anything else with a ConfigError). */
  function arrayOptions({ allow, scopes }: VerifyOptions): boolean {
    return (allow === undefined || Array.isArray(allow)) && (scopes === undefined || Array.isArray(scopes));
  }

  /** The full path: every header rule, every parse, the cache or the store. */
  async function verifyFully(getHeader: HeaderAccessor, options: VerifyOptions): Promise<Principal> {
    const allow = options.allow;
    const route = allow === undefined ? defaultRoute : routeChallenge(allow);

    const found = collect(getHeader, options.query, route);
    if (found.length > 1) throw new InvalidRequestError('Send exactly one credential per request', route);
    // An explicit credential wins over the session cookie: browsers send the cookie on their own, so a
    // developer testing a token in a logged-in browser is not refused for sending "two" credentials.
    if (found.length === 1) {
      const presented = found[0]!;
      const principal = await fromPresented(presented, allow, route);
      remember(presented, principal.method as Remembered['method'], ctx.now());
      return principal;
    }
    if (cfg.cookie && accepts(allow, 'cookie')) return fromCookie(getHeader, options, route);
    throw new MissingCredentialsError(undefined, route);
  }

  return {
    async verify(getHeader, options = {}) {
      if (typeof getHeader !== 'function') throw new ConfigError('`verify` needs a header accessor function');
      options ??= {};
      if (!arrayOptions(options)) throw new ConfigError('`allow` and `scopes` must be arrays');
      const required = options.scopes;
      const hit = warm(getHeader, options, false);
      let principal: Principal;
      if (hit === undefined) principal = await verifyFully(getHeader, options);
      else principal = hit instanceof Promise ? await hit : hit;
      if (required && required.length > 0 && !hasScopes(principal, required)) {
        throw new InsufficientScopeError(undefined, { ...challenges[principal.method], scope: required.join(' ') });
      }
      return principal;
    },
    verifyWarm(getHeader, options = {}) {
      // The permissions hook is asked on every request, asynchronously: nothing settles in this turn
      // (and the warm path is not walked twice, here and again in `verify`).
      if (typeof getHeader !== 'function' || ctx.accounts.permissions) return undefined;
      options ??= {};
      if (!arrayOptions(options)) return undefined;
      const required = options.scopes;
      let principal: Principal | Promise<Principal> | undefined;
      try {
        principal = warm(getHeader, options, true);
      } catch {
        // A throwing header accessor: `verify` reports it.
        return undefined;
      }
      // Never a promise with syncOnly; checked anyway, so a future async branch cannot leak through.
      if (principal === undefined || principal instanceof Promise) return undefined;
      if (required && required.length > 0 && !hasScopes(principal, required)) return undefined;
      return principal;
    },
    async close() {
      unsubscribe();
      await lastUsed.close();
    },
  };
}
