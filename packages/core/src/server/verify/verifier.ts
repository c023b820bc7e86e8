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
import type { SessionCookies } from '../cookies/session-cookies.js';
import { hasScopes, type AuthMethod, type Principal } from '../principal.js';
import type { CredentialKind, CredentialRecord } from '../store.js';
import { parseAuthorization } from './authorization-header.js';
import { createCredentialCache } from './credential-cache.js';
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
  /** Flush pending last-used times, stop the timer and leave the invalidation bus. */
  close(): Promise<void>;
}

/** A credential found in the request, before it is checked. */
type Presented =
  | { type: 'api_key'; key: string; businessId: string | undefined; userId: string | undefined }
  | { type: 'legacy_api_key'; key: string }
  | { type: 'authorization'; scheme: string; token: string };

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
const MAX_API_KEY_LENGTH = 256;
const MAX_ID_LENGTH = 256;
const JWT_RE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Create the verifier. Options are validated at once (`ConfigError`).
 *
 * Scopes: a stored credential bound to a user (API key, personal token, secret) and a session cookie get
 * the credential's scopes intersected with `accounts.permissions(userId, businessId)`, called on every
 * verification so a removed permission takes effect at once; `null` from it refuses the credential.
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
  const cache = createCredentialCache(cfg.cache.maxEntries, cfg.cache.ttlMs);
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
  const families = new Map<string, Set<string>>();
  const tokenCache = createCredentialCache<Principal>(cfg.cache.maxEntries, cfg.cache.ttlMs, (hash, principal) => {
    const keys = principal.credentialId === null ? undefined : families.get(principal.credentialId);
    if (!keys) return;
    keys.delete(hash);
    if (keys.size === 0) families.delete(principal.credentialId!);
  });
  const tokenInflight = new Map<string, Promise<Principal | null>>();
  const unsubscribe = ctx.invalidation.subscribe((event) => {
    epoch++;
    if (event.type === 'credential') {
      cache.delete(event.hash);
      inflight.delete(event.hash);
    } else if (event.type === 'token') {
      tokenCache.delete(event.hash);
      tokenInflight.delete(event.hash);
    } else if (event.type === 'family') {
      const keys = families.get(event.familyId);
      if (keys) for (const hash of [...keys]) tokenCache.delete(hash);
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

  // Every API-key failure (unknown, revoked, expired, wrong business or user, missing id header, user
  // gone) is built here so the caller cannot tell them apart.
  const invalidApiKey = () => new InvalidTokenError('The API key credentials are invalid', challenges.api_key);
  const invalidBearer = () => new InvalidTokenError('The access token is invalid', challenges.access_token);
  const invalidSecret = () => new InvalidTokenError('The secret is invalid', challenges.secret);

  const rules = (label: string, maxLength: number, challenge: ChallengeOptions): SingleValueRules => ({
    label,
    maxLength,
    noCommas: true,
    allowSpaces: label === 'Authorization header',
    challenge,
  });

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
   * The principal of an OAuth access token (opaque or JWT), from the warm cache when this exact token was
   * verified within the TTL: a hit skips the signature check and the store. Only valid tokens are cached,
   * and a hit is re-checked against the token's own expiry.
   */
  async function accessTokenPrincipal(token: string): Promise<Principal | null> {
    const hash = ctx.hash(token);
    const now = ctx.now();
    const hit = tokenCache.get(hash, now);
    if (hit && (hit.expiresAt === null || hit.expiresAt > now)) return { ...hit, scopes: hit.scopes.slice() };
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
              tokenCache.set(hash, { ...principal, scopes: principal.scopes.slice() }, ctx.now());
              let keys = families.get(familyId);
              if (!keys) families.set(familyId, (keys = new Set()));
              keys.add(hash);
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
    return principal && { ...principal, scopes: principal.scopes.slice() };
  }

  /** The live record behind a presented secret, or `fail()`: junk never reaches the store. */
  async function storedCredential(
    secret: string,
    kind: CredentialKind,
    prefix: string,
    fail: () => ChallengeError,
  ): Promise<CredentialRecord> {
    if (parseSecret(secret)?.prefix !== prefix) throw fail();
    const record = await lookup(ctx.hash(secret));
    const now = ctx.now();
    if (
      !record ||
      record.kind !== kind ||
      record.revokedAt !== null ||
      (record.expiresAt !== null && record.expiresAt <= now)
    ) {
      throw fail();
    }
    return record;
  }

  async function effectiveScopes(
    userId: string | null,
    businessId: string | null,
    scopes: readonly string[],
    fail: () => ChallengeError,
  ): Promise<readonly string[]> {
    if (userId === null || !ctx.accounts.permissions) return scopes.slice();
    const current = await ctx.accounts.permissions(userId, businessId);
    if (current === null) throw fail();
    const held = new Set(current);
    return scopes.filter((s) => held.has(s));
  }

  async function fromRecord(
    record: CredentialRecord,
    method: AuthMethod,
    fail: () => ChallengeError,
  ): Promise<Principal> {
    const scopes = await effectiveScopes(record.userId, record.businessId, record.scopes, fail);
    lastUsed.record(record.id, ctx.now());
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

  function collect(getHeader: HeaderAccessor, query: QueryAccessor | undefined, route: ChallengeOptions): Presented[] {
    const found: Presented[] = [];
    // Like the API-key headers, `Authorization` is a credential only when a scheme that uses it is on:
    // an API-key-only service behind a Basic-auth proxy must not see "two credentials".
    if (cfg.personalTokens || cfg.accessTokens || cfg.secret) {
      const authorization = readSingleValue(
        getHeader('authorization'),
        rules('Authorization header', cfg.maxCredentialLength, route),
      );
      if (authorization === '') throw new InvalidRequestError('The Authorization header is empty', route);
      if (authorization !== undefined) found.push({ type: 'authorization', ...parseAuthorization(authorization, route) });
    }

    const legacyOnSameHeader = cfg.legacy?.header === 'x-api-key';
    if (cfg.apiKey || legacyOnSameHeader) {
      const key = readSingleValue(getHeader('x-api-key'), rules('X-API-KEY header', MAX_API_KEY_LENGTH, route));
      if (key === '') throw new InvalidRequestError('The X-API-KEY header is empty', route);
      if (key !== undefined) {
        let businessId: string | undefined;
        let userId: string | undefined;
        if (cfg.apiKey) {
          businessId = readSingleValue(getHeader('x-business-id'), rules('X-BUSINESS-ID header', MAX_ID_LENGTH, route));
          userId = readSingleValue(getHeader('x-user-id'), rules('X-USER-ID header', MAX_ID_LENGTH, route));
        }
        // The two modes share seed 000's and seed 002's header name: naming a business or user selects
        // the three-header scheme; a key alone is legacy only when legacy is on, and otherwise fails
        // exactly like a wrong business.
        if (cfg.apiKey && (!legacyOnSameHeader || businessId || userId)) {
          found.push({ type: 'api_key', key, businessId: businessId || undefined, userId: userId || undefined });
        } else {
          found.push({ type: 'legacy_api_key', key });
        }
      }
    }
    if (cfg.legacy && !legacyOnSameHeader) {
      const key = readSingleValue(getHeader(cfg.legacy.header), rules('API key header', MAX_API_KEY_LENGTH, route));
      if (key === '') throw new InvalidRequestError('The API key header is empty', route);
      if (key !== undefined) found.push({ type: 'legacy_api_key', key });
    }
    if (cfg.legacy?.query && query) {
      const key = readSingleValue(query(cfg.legacy.query), rules('API key query parameter', MAX_API_KEY_LENGTH, route));
      if (key === '') throw new InvalidRequestError('The API key query parameter is empty', route);
      if (key !== undefined) found.push({ type: 'legacy_api_key', key });
    }
    return found;
  }

  async function fromPresented(
    presented: Presented,
    isAllowed: (m: AuthMethod) => boolean,
    route: ChallengeOptions,
  ): Promise<Principal> {
    const notAccepted = (m: AuthMethod) =>
      new InvalidTokenError(`${SCHEMES[m]} credentials are not accepted for this resource`, route);

    if (presented.type === 'api_key') {
      if (!isAllowed('api_key')) throw notAccepted('api_key');
      const record = await storedCredential(presented.key, 'api_key', prefixes.apiKey, invalidApiKey);
      if (record.businessId !== presented.businessId || record.userId !== presented.userId) throw invalidApiKey();
      return fromRecord(record, 'api_key', invalidApiKey);
    }
    if (presented.type === 'legacy_api_key') {
      if (!isAllowed('legacy_api_key')) throw notAccepted('legacy_api_key');
      const record = await storedCredential(presented.key, 'api_key', prefixes.apiKey, invalidApiKey);
      return fromRecord(record, 'legacy_api_key', invalidApiKey);
    }
    const { scheme, token } = presented;
    if (scheme === 'bearer' && (cfg.personalTokens || cfg.accessTokens)) {
      const prefix = parseSecret(token)?.prefix;
      if (prefix === prefixes.personalToken && cfg.personalTokens) {
        if (!isAllowed('personal_token')) throw notAccepted('personal_token');
        const record = await storedCredential(token, 'personal_token', prefixes.personalToken, invalidBearer);
        return fromRecord(record, 'personal_token', invalidBearer);
      }
      const accessTokenShape = prefix === undefined ? JWT_RE.test(token) : prefix === prefixes.accessToken;
      if (accessTokenShape && cfg.accessTokens) {
        if (!isAllowed('access_token')) throw notAccepted('access_token');
        const principal = await accessTokenPrincipal(token);
        if (!principal) throw invalidBearer();
        return principal;
      }
      throw invalidBearer();
    }
    if (scheme === 'secret' && cfg.secret) {
      if (!isAllowed('secret')) throw notAccepted('secret');
      const record = await storedCredential(token, 'secret', prefixes.secret, invalidSecret);
      return fromRecord(record, 'secret', invalidSecret);
    }
    throw new InvalidTokenError('The authorization scheme is not supported', route);
  }

  async function fromCookie(getHeader: HeaderAccessor, options: VerifyOptions, route: ChallengeOptions): Promise<Principal> {
    const cookieChallenge = challenges.cookie;
    const result = await deps.sessions.inspect(getHeader('cookie'));
    if (result.status === 'absent') throw new MissingCredentialsError(undefined, route);
    if (result.status === 'invalid') {
      if (result.reason === 'duplicate') {
        throw new InvalidRequestError('The session cookie was sent more than once', cookieChallenge);
      }
      throw new InvalidTokenError('The session is invalid or has expired', cookieChallenge);
    }
    const session = result.session;
    const header = (name: string) => readSingleValue(getHeader(name), rules(name, 512, cookieChallenge));
    deps.sessions.assertCsrf(session, {
      httpMethod: options.httpMethod,
      token: header(deps.sessions.csrfHeader) || options.csrfToken,
      secFetchSite: header('sec-fetch-site'),
      origin: header('origin'),
    });
    const invalidSession = () => new InvalidTokenError('The session is invalid or has expired', cookieChallenge);
    return {
      method: 'cookie',
      userId: session.userId,
      businessId: session.businessId,
      clientId: null,
      scopes: await effectiveScopes(session.userId, session.businessId, session.scopes, invalidSession),
      credentialId: session.id,
      expiresAt: session.expiresAt,
    };
  }

  return {
    async verify(getHeader, options = {}) {
      if (typeof getHeader !== 'function') throw new ConfigError('`verify` needs a header accessor function');
      options ??= {};
      const { allow, scopes: required } = options;
      if ((allow !== undefined && !Array.isArray(allow)) || (required !== undefined && !Array.isArray(required))) {
        throw new ConfigError('`allow` and `scopes` must be arrays');
      }
      const isAllowed = (m: AuthMethod) => enabled.has(m) && (allow ? allow.includes(m) : cfg.defaultAllow.has(m));
      const first = CHALLENGE_ORDER.find(isAllowed);
      const route = first ? challenges[first] : challenges.access_token;

      const found = collect(getHeader, options.query, route);
      if (found.length > 1) throw new InvalidRequestError('Send exactly one credential per request', route);
      // An explicit credential wins over the session cookie: browsers send the cookie on their own, so a
      // developer testing a token in a logged-in browser is not refused for sending "two" credentials.
      let principal: Principal;
      if (found.length === 1) principal = await fromPresented(found[0]!, isAllowed, route);
      else if (cfg.cookie && isAllowed('cookie')) principal = await fromCookie(getHeader, options, route);
      else throw new MissingCredentialsError(undefined, route);
      if (required && required.length > 0 && !hasScopes(principal, required)) {
        throw new InsufficientScopeError(undefined, { ...challenges[principal.method], scope: required.join(' ') });
      }
      return principal;
    },
    async close() {
      unsubscribe();
      await lastUsed.close();
    },
  };
}
