/**
 * Sealed session cookies (seed 003): the value is encrypted and authenticated with AES-256-GCM
 * (`crypto/seal.ts`), the cookie name is bound as the seal's purpose, and the expiry lives inside the seal
 * as well as in `Max-Age`. The first of the server's `secrets` seals, every one opens, so keys rotate
 * without logging anyone out; a value sealed under a retired key no longer opens.
 *
 * The cookie carries a small session (id, user, business, scopes, times) and never a token.
 *
 * @module
 */
import { randomBase64url, randomId } from '../../crypto/random.js';
import { AuthError, ConfigError } from '../../errors.js';
import { toMs, type Duration } from '../../util/duration.js';
import type { ServerContext } from '../context.js';
import { cookieValues, serializeSetCookie, type SetCookieAttributes } from './cookie-header.js';
import { checkCsrf, deriveCsrfToken, isSafeMethod, type CsrfPolicy } from './csrf.js';

/** `SameSite` attribute values. */
export type SameSite = 'Lax' | 'Strict' | 'None';

/** CSRF settings of {@link SessionCookieOptions}. */
export interface CsrfOptions {
  /** Request header carrying the token. Default `x-csrf-token`. */
  header?: string;
  /** Form field carrying the token (read by the adapter from the body). Default `_csrf`. */
  field?: string;
  /**
   * Origins allowed to send unsafe cookie-authenticated requests. Default: the issuer's origin only.
   * Each is an origin such as `https://app.example.com` (no path).
   */
  trustedOrigins?: readonly string[];
  /** Accept `Sec-Fetch-Site: same-site` (requests from sibling subdomains). Default false. */
  allowSameSite?: boolean;
}

/** Options of {@link createSessionCookies}. */
export interface SessionCookieOptions {
  /**
   * Cookie name. Default `__Host-auth_session` when the cookie is `Secure`, has no `Domain` and `Path=/`
   * (the `__Host-` prefix stops subdomains from planting a cookie of the same name), else `auth_session`.
   */
  name?: string;
  /** Lifetime, in `Max-Age` and inside the seal. Default `'12h'`. */
  maxAge?: Duration;
  /** `Secure` attribute. Default true; false is accepted only when the issuer is http on loopback. */
  secure?: boolean;
  /** `SameSite` attribute. Default `Lax`. `None` requires `Secure`. */
  sameSite?: SameSite;
  /** `Domain` attribute. Default none (host-only cookie). */
  domain?: string;
  /** `Path` attribute. Default `/`. */
  path?: string;
  csrf?: CsrfOptions;
  /**
   * Server-side revocation: return true for a session id that was logged out or revoked. Called on
   * every read, so keep it fast (an in-memory set, a cache).
   */
  isRevoked?(sessionId: string): boolean | Promise<boolean>;
}

/** What the host application puts in a new session. */
export interface SessionInput {
  userId: string;
  businessId?: string | null;
  scopes?: readonly string[];
  /** Session id; default a fresh random one. Supply your own to track sessions server-side. */
  id?: string;
}

/** A session read from (or just sealed into) a cookie. */
export interface Session {
  id: string;
  userId: string;
  businessId: string | null;
  scopes: readonly string[];
  /** Epoch ms. */
  issuedAt: number;
  /** Epoch ms. */
  expiresAt: number;
  /** The CSRF token unsafe requests must send back (header or form field). */
  csrfToken: string;
}

/** Result of {@link SessionCookies.issue}. */
export interface IssuedSession {
  /** The sealed cookie value. */
  value: string;
  /** The full `Set-Cookie` header value. */
  setCookie: string;
  /** The session's CSRF token, to embed in the page or send in a response header. */
  csrfToken: string;
  session: Session;
}

/** Result of {@link SessionCookies.inspect}. */
export type SessionReadResult =
  | { status: 'absent' }
  /** `duplicate`: several cookies of this name (possible cookie tossing); `invalid`: tampered, expired, retired key. */
  | { status: 'invalid'; reason: 'invalid' | 'duplicate' | 'revoked' }
  | { status: 'valid'; session: Session };

/** The request facts {@link SessionCookies.assertCsrf} needs. */
export interface CsrfRequest {
  /** HTTP method. Missing counts as unsafe. */
  httpMethod: string | undefined;
  /** Token from the CSRF header or form field. */
  token: string | undefined;
  /** `Sec-Fetch-Site` header, if sent. */
  secFetchSite: string | undefined;
  /** `Origin` header, if sent. */
  origin: string | undefined;
}

/**
 * Opened sessions by exact cookie value, owned by the caller of {@link SessionCookies.inspect} (the
 * verifier sizes it with its `cache` options). A cached session object is frozen, and its `scopes` array is
 * shared by every later request with the same cookie: copy it before handing it on (the verifier does).
 */
export interface SessionCache {
  get(value: string, now: number): Session | undefined;
  /** Keep `session` for `value` until the cache's TTL, and never past `notAfter` (epoch ms). */
  set(value: string, session: Session, now: number, notAfter: number): void;
}

/** Issue, read and clear sealed session cookies. */
export interface SessionCookies {
  /** The cookie name. */
  readonly name: string;
  /** Lowercase name of the CSRF request header. */
  readonly csrfHeader: string;
  /** Name of the CSRF form field. */
  readonly csrfField: string;
  /** Seal a new session into a cookie. */
  issue(input: SessionInput): IssuedSession;
  /** The session in a `Cookie` header, or null if absent, invalid, expired or revoked. */
  read(cookieHeader: string | undefined): Promise<Session | null>;
  /**
   * Like {@link SessionCookies.read}, telling an absent cookie from an invalid one. With a `cache` (the
   * verifier passes its own), a cookie value opened before is not decrypted again: the session is reused
   * until the cache's TTL or one second before the session's own expiry, whichever is first, and
   * `isRevoked` is still asked on every call.
   */
  inspect(cookieHeader: string | readonly string[] | null | undefined, cache?: SessionCache): Promise<SessionReadResult>;
  /**
   * {@link SessionCookies.inspect} answered synchronously, or `undefined` when an `isRevoked` hook is
   * configured (it may have to be waited for; call `inspect` then). Opens and caches like `inspect`.
   */
  inspectNow(cookieHeader: string | readonly string[] | null | undefined, cache?: SessionCache): SessionReadResult | undefined;
  /** A `Set-Cookie` header value that deletes the cookie. */
  clear(): string;
  /**
   * Throw `CsrfError` (403) unless an unsafe request proves it comes from the application: a valid token
   * and no cross-site `Sec-Fetch-Site` / untrusted `Origin`. Safe methods pass.
   */
  assertCsrf(session: Session, request: CsrfRequest): void;
}

/** What the seal holds; short keys keep the cookie small. */
interface SealedSession {
  i: string;
  u: string;
  b: string | null;
  s: string[];
  t: number;
  x: number;
  /** Per-session CSRF key: never leaves the seal. */
  k: string;
}

/** Browsers cap a cookie at about 4 KB including its name and attributes. */
const MAX_COOKIE_VALUE = 3800;
/** Upper bound on a `Cookie` header we parse at all. */
const MAX_COOKIE_HEADER = 16_384;
const NAME_RE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,128}$/;
const ATTR_RE = /^[\x21-\x3a\x3c-\x7e]{1,255}$/;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Base64url decoding ignores a dangling character and unused trailing bits, so one seal has several
 * spellings. Only the canonical one is accepted: a cookie that was changed in any way is refused.
 */
function isCanonicalSeal(value: string): boolean {
  const parts = value.split('.');
  if (parts.length !== 4) return false;
  // Part 1 is the key id (a truncated hash, not an encoding); parts 2 and 3 are the IV and ciphertext.
  for (let i = 2; i < 4; i++) {
    const part = parts[i]!;
    if (!/^[A-Za-z0-9_-]+$/.test(part) || Buffer.from(part, 'base64url').toString('base64url') !== part) return false;
  }
  return true;
}

function isSealedSession(v: unknown): v is SealedSession {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o.i === 'string' &&
    typeof o.u === 'string' &&
    (o.b === null || typeof o.b === 'string') &&
    Array.isArray(o.s) &&
    o.s.every((x) => typeof x === 'string') &&
    typeof o.t === 'number' &&
    typeof o.x === 'number' &&
    typeof o.k === 'string'
  );
}

/**
 * Create the session cookie helper. Validates options at once and throws `ConfigError`.
 *
 * @example
 * ```ts
 * const sessions = createSessionCookies(ctx, { sameSite: 'Strict' });
 * const { setCookie, csrfToken } = sessions.issue({ userId: 'u1', businessId: 'b1', scopes: ['read'] });
 * res.setHeader('set-cookie', setCookie);
 * const session = await sessions.read(req.headers.cookie); // later requests
 * ```
 */
export function createSessionCookies(ctx: ServerContext, options: SessionCookieOptions = {}): SessionCookies {
  const issuer = new URL(ctx.issuer);
  const loopbackHttp = issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname);
  const secure = options.secure ?? true;
  if (!secure && !loopbackHttp) {
    throw new ConfigError('Session cookies must be `Secure` unless the issuer is http on loopback (local development)');
  }
  const sameSite = options.sameSite ?? 'Lax';
  if (sameSite !== 'Lax' && sameSite !== 'Strict' && sameSite !== 'None') {
    throw new ConfigError('`sameSite` must be "Lax", "Strict" or "None"');
  }
  if (sameSite === 'None' && !secure) throw new ConfigError('`SameSite=None` requires `Secure`');
  const path = options.path ?? '/';
  if (!path.startsWith('/') || !ATTR_RE.test(path)) throw new ConfigError('`path` must start with "/" and be printable ASCII');
  const domain = options.domain;
  if (domain !== undefined && (!ATTR_RE.test(domain) || !/^\.?[A-Za-z0-9.-]+$/.test(domain))) {
    throw new ConfigError('`domain` must be a host name');
  }
  const hostOnly = secure && domain === undefined && path === '/';
  const name = options.name ?? (hostOnly ? '__Host-auth_session' : 'auth_session');
  if (!NAME_RE.test(name)) throw new ConfigError('`name` must be a cookie token');
  if (name.startsWith('__Host-') && !hostOnly) {
    throw new ConfigError('A `__Host-` cookie must be Secure, with `Path=/` and no `Domain`');
  }
  if (name.startsWith('__Secure-') && !secure) throw new ConfigError('A `__Secure-` cookie must be Secure');
  let maxAgeMs: number;
  try {
    maxAgeMs = toMs(options.maxAge ?? '12h');
  } catch (cause) {
    throw new ConfigError('Invalid `maxAge`', { cause });
  }
  const maxAgeSeconds = Math.floor(maxAgeMs / 1000);
  if (maxAgeSeconds < 1) throw new ConfigError('`maxAge` must be at least one second');

  const csrfHeader = (options.csrf?.header ?? 'x-csrf-token').toLowerCase();
  if (!NAME_RE.test(csrfHeader)) throw new ConfigError('`csrf.header` must be a header name');
  const csrfField = options.csrf?.field ?? '_csrf';
  const trusted = new Set<string>();
  for (const o of options.csrf?.trustedOrigins ?? [issuer.origin]) {
    let url: URL;
    try {
      url = new URL(o);
    } catch (cause) {
      throw new ConfigError('`csrf.trustedOrigins` must hold origins such as https://app.example.com', { cause });
    }
    if (url.origin === 'null' || url.origin !== o.replace(/\/$/, '')) {
      throw new ConfigError('`csrf.trustedOrigins` must hold origins (scheme, host, port) without a path');
    }
    trusted.add(url.origin);
  }
  const policy: CsrfPolicy = { trustedOrigins: trusted, allowSameSite: options.csrf?.allowSameSite ?? false };
  // Binding the name makes a value sealed for one cookie useless under another.
  const purpose = `session-cookie:${name}`;
  const isRevoked = options.isRevoked;

  const attributes = (seconds: number, expires: Date): SetCookieAttributes => ({
    maxAgeSeconds: seconds,
    expires,
    path,
    domain,
    secure,
    httpOnly: true,
    sameSite,
  });

  const toSession = (p: SealedSession): Session => ({
    id: p.i,
    userId: p.u,
    businessId: p.b,
    scopes: p.s,
    issuedAt: p.t,
    expiresAt: p.x,
    csrfToken: deriveCsrfToken(p.i, p.k),
  });

  /** The session sealed in `value`, or null: canonical spelling, key, purpose, shape, both expiries. */
  const open = (value: string, now: number): Session | null => {
    if (!isCanonicalSeal(value)) return null;
    const payload = ctx.sealer.unseal(value, { purpose, now });
    if (!isSealedSession(payload) || payload.x <= now) return null;
    return toSession(payload);
  };

  /** The cookie's session, from the cache or opened, before the revocation check. */
  const readSealed = (header: string | readonly string[] | null | undefined, cache?: SessionCache): SessionReadResult => {
    if (header === undefined || header === null) return { status: 'absent' };
    const joined = typeof header === 'string' ? header : header.join('; ');
    if (joined.length > MAX_COOKIE_HEADER) return { status: 'invalid', reason: 'invalid' };
    const values = cookieValues(joined, name);
    if (values.length === 0) return { status: 'absent' };
    if (values.length > 1) return { status: 'invalid', reason: 'duplicate' };
    const value = values[0]!;
    const now = ctx.now();
    let session = cache?.get(value, now);
    if (session === undefined) {
      const opened = open(value, now);
      if (opened === null) return { status: 'invalid', reason: 'invalid' };
      session = opened;
      if (cache) {
        // Frozen so no holder can swap its fields. Its scopes array is left as is: V8 copies a frozen
        // array on a slow path, and every holder copies the scopes anyway (the verifier does).
        // The seal's own expiry is `x` rounded down to the second it was sealed in, so up to a second
        // before `x`: a cached entry leaves a second early and the last second is judged by `open`.
        cache.set(value, Object.freeze(session), now, session.expiresAt - 1000);
      }
    }
    return { status: 'valid', session };
  };

  const inspect = async (
    header: string | readonly string[] | null | undefined,
    cache?: SessionCache,
  ): Promise<SessionReadResult> => {
    const result = readSealed(header, cache);
    if (result.status !== 'valid' || !isRevoked) return result;
    const revoked = isRevoked(result.session.id);
    if (revoked === true || (revoked !== false && (await revoked))) return { status: 'invalid', reason: 'revoked' };
    return result;
  };

  return {
    name,
    csrfHeader,
    csrfField,
    issue(input) {
      if (typeof input?.userId !== 'string' || input.userId === '') {
        throw new AuthError('A session needs a non-empty `userId`');
      }
      const now = ctx.now();
      const payload: SealedSession = {
        i: input.id ?? randomId(24),
        u: input.userId,
        b: input.businessId ?? null,
        s: [...(input.scopes ?? [])],
        t: now,
        x: now + maxAgeSeconds * 1000,
        k: randomBase64url(16),
      };
      const value = ctx.sealer.seal(payload, { purpose, ttlSeconds: maxAgeSeconds, now });
      if (value.length > MAX_COOKIE_VALUE) {
        throw new AuthError('The session is too large for a cookie: keep scopes short or store them server-side');
      }
      const session = toSession(payload);
      return {
        value,
        setCookie: serializeSetCookie(name, value, attributes(maxAgeSeconds, new Date(payload.x))),
        csrfToken: session.csrfToken,
        session,
      };
    },
    async read(cookieHeader) {
      const result = await inspect(cookieHeader);
      return result.status === 'valid' ? result.session : null;
    },
    inspect,
    inspectNow(header, cache) {
      return isRevoked ? undefined : readSealed(header, cache);
    },
    clear() {
      return serializeSetCookie(name, '', attributes(0, new Date(0)));
    },
    assertCsrf(session, request) {
      if (isSafeMethod(request.httpMethod)) return;
      checkCsrf(
        session.csrfToken,
        { presented: request.token, secFetchSite: request.secFetchSite, origin: request.origin },
        policy,
      );
    },
  };
}
