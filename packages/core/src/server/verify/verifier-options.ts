/**
 * Which schemes the verifier accepts and how, validated once at construction.
 *
 * @module
 */
import { ConfigError } from '../../errors.js';
import { toMs, type Duration } from '../../util/duration.js';
import { AUTH_METHODS, type AuthMethod } from '../principal.js';

/** The legacy single-header API key (seed 002). */
export interface LegacyApiKeyOptions {
  /**
   * Header carrying the key. Default `x-api-key`, the same header as the three-header scheme: a key sent
   * with `X-BUSINESS-ID` or `X-USER-ID` is checked as a three-header key, a key alone as a legacy key.
   */
  header?: string;
  /** Also accept the key in this query parameter (e.g. `api_key`). Off unless set: URLs end up in logs. */
  query?: string;
}

/** Bearer tokens (seeds 001-004). */
export interface BearerOptions {
  /** Personal / direct access tokens, checked against the store. Default true. */
  personalTokens?: boolean;
  /** OAuth access tokens, checked by the authorization server. Default true. */
  accessTokens?: boolean;
}

/** The warm credential cache. */
export interface VerifierCacheOptions {
  /** Most records held. Default 10,000. */
  maxEntries?: number;
  /**
   * Longest a cached record is trusted. Default `'30s'`: a revocation made by another process through a
   * shared store is seen within this time; one made in this process (or published on a shared
   * invalidation bus) is seen at once.
   */
  ttl?: Duration;
}

/**
 * The schemes `verify` accepts. When the whole object is omitted, every scheme except the legacy API key
 * is on; when it is given, only the schemes set to a truthy value are on.
 */
export interface VerifierMethods {
  /** `X-API-KEY` + `X-BUSINESS-ID` + `X-USER-ID`, all three required (seed 000). */
  apiKey?: boolean;
  /** Single-header API key and, if configured, a query parameter (seed 002). */
  legacyApiKey?: boolean | LegacyApiKeyOptions;
  /** `Authorization: Bearer` personal tokens and OAuth access tokens. */
  bearer?: boolean | BearerOptions;
  /** `Authorization: Secret <secret>` (seed 003): only on routes whose `allow` lists `secret`, see `defaultAllow`. */
  secret?: boolean;
  /** Sealed session cookie, with CSRF protection on unsafe methods. */
  cookie?: boolean;
  /**
   * Methods a route accepts when its `verify` call passes no `allow`. Default: every enabled method except
   * `secret`, which seed 003 reserves for a few endpoints.
   */
  defaultAllow?: readonly AuthMethod[];
  /** `realm` of every `WWW-Authenticate` challenge. Default none. */
  realm?: string;
  /** The warm cache, or `false` to look every credential up in the store. */
  cache?: false | VerifierCacheOptions;
  /** Longest a last-used time waits before it is written. Default `'30s'`. */
  lastUsedFlushInterval?: Duration;
  /** Longest accepted `Authorization` value, in characters. Default 4096 (room for JWTs). */
  maxCredentialLength?: number;
}

/** Normalised {@link VerifierMethods}. */
export interface ResolvedMethods {
  apiKey: boolean;
  legacy: { header: string; query: string | undefined } | undefined;
  personalTokens: boolean;
  accessTokens: boolean;
  secret: boolean;
  cookie: boolean;
  defaultAllow: ReadonlySet<AuthMethod>;
  realm: string | undefined;
  cache: { maxEntries: number; ttlMs: number };
  lastUsedFlushMs: number;
  maxCredentialLength: number;
}

const HEADER_NAME_RE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,64}$/;

function duration(value: Duration, label: string): number {
  try {
    return toMs(value);
  } catch (cause) {
    throw new ConfigError(`Invalid \`${label}\``, { cause });
  }
}

/** Validate and normalise verifier options. Throws {@link ConfigError}. */
export function resolveMethods(methods: VerifierMethods | undefined): ResolvedMethods {
  const m: VerifierMethods = methods ?? { apiKey: true, bearer: true, secret: true, cookie: true };
  const bearer = m.bearer === true ? {} : m.bearer || undefined;
  const legacyInput = m.legacyApiKey === true ? {} : m.legacyApiKey || undefined;
  let legacy: ResolvedMethods['legacy'];
  if (legacyInput) {
    const header = (legacyInput.header ?? 'x-api-key').toLowerCase();
    if (!HEADER_NAME_RE.test(header)) throw new ConfigError('`legacyApiKey.header` must be a header name');
    if (['authorization', 'cookie', 'x-business-id', 'x-user-id'].includes(header)) {
      throw new ConfigError(`\`legacyApiKey.header\` cannot be "${header}"`);
    }
    const query = legacyInput.query;
    if (query !== undefined && (typeof query !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(query))) {
      throw new ConfigError('`legacyApiKey.query` must be a parameter name');
    }
    legacy = { header, query };
  }
  const resolved = {
    apiKey: Boolean(m.apiKey),
    legacy,
    personalTokens: bearer !== undefined && bearer.personalTokens !== false,
    accessTokens: bearer !== undefined && bearer.accessTokens !== false,
    secret: Boolean(m.secret),
    cookie: Boolean(m.cookie),
  };
  const enabled = new Set<AuthMethod>();
  if (resolved.apiKey) enabled.add('api_key');
  if (legacy) enabled.add('legacy_api_key');
  if (resolved.personalTokens) enabled.add('personal_token');
  if (resolved.accessTokens) enabled.add('access_token');
  if (resolved.secret) enabled.add('secret');
  if (resolved.cookie) enabled.add('cookie');
  if (enabled.size === 0) throw new ConfigError('`methods` enables no authentication scheme');
  for (const a of m.defaultAllow ?? []) {
    if (!AUTH_METHODS.includes(a)) throw new ConfigError(`Unknown method "${String(a)}" in \`defaultAllow\``);
  }
  const defaultAllow = new Set(m.defaultAllow ?? [...enabled].filter((x) => x !== 'secret'));
  if (m.realm !== undefined && (typeof m.realm !== 'string' || /[^\x20-\x7e]/.test(m.realm))) {
    throw new ConfigError('`realm` must be printable ASCII');
  }
  let cache = { maxEntries: 0, ttlMs: 0 };
  if (m.cache !== false) {
    const maxEntries = m.cache?.maxEntries ?? 10_000;
    if (!Number.isInteger(maxEntries) || maxEntries < 0) throw new ConfigError('`cache.maxEntries` must be an integer >= 0');
    cache = { maxEntries, ttlMs: duration(m.cache?.ttl ?? '30s', 'cache.ttl') };
  }
  const maxCredentialLength = m.maxCredentialLength ?? 4096;
  if (!Number.isInteger(maxCredentialLength) || maxCredentialLength < 64 || maxCredentialLength > 65_536) {
    throw new ConfigError('`maxCredentialLength` must be an integer between 64 and 65536');
  }
  return {
    ...resolved,
    defaultAllow,
    realm: m.realm,
    cache,
    lastUsedFlushMs: duration(m.lastUsedFlushInterval ?? '30s', 'lastUsedFlushInterval'),
    maxCredentialLength,
  };
}
