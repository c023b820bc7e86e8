/**
 * Options of `createSignIn`, and their validation (every mistake is a `ConfigError` at construction,
 * never a failure on some later request).
 *
 * @module
 */
import { createSealer, type Sealer } from '../../crypto/seal.js';
import { ConfigError } from '../../errors.js';
import type { Logger } from '../../server/context.js';
import { toMs, type Duration } from '../../util/duration.js';
import type { AuthorizationCodeGrant, AuthorizationRequestOptions } from '../authorization-code-grant.js';
import type { TokenManagerOptions } from '../token-manager.js';
import type { TokenSet } from '../token-set.js';
import type { TokenStore } from '../token-store.js';
import { safeReturnTo } from './return-to.js';
import type { SignInSessionStore, SignInUser } from './session-store.js';

/** Cookie settings of {@link SignInOptions}. */
export interface SignInCookieOptions {
  /**
   * Session cookie name. Default `__Host-auth_signin` when `Secure`, `Path=/` and no `Domain`, else
   * `auth_signin`. The login transaction cookies are named after it (`<name>_tx`, `<name>_tx_lax`).
   */
  name?: string;
  /**
   * `Secure` attribute. Default true (browsers accept `Secure` cookies on `http://localhost`). With
   * false, no `SameSite=None` transaction cookie can be set, so `form_post` callbacks fail: use
   * `responseMode: 'query'` for plain-http development on other hosts.
   */
  secure?: boolean;
  /** `SameSite` of the session cookie. Default `Lax` (`Strict` would drop it on the post-login redirect). */
  sameSite?: 'Lax' | 'Strict';
  /** `Domain` attribute. Default none (host-only). */
  domain?: string;
  /** `Path` attribute. Default `/`. */
  path?: string;
  /** Session lifetime (cookie `Max-Age`, seal expiry and session record). Default `'12h'`. */
  maxAge?: Duration;
}

/** Route paths of {@link SignInOptions}, joined to `basePath`. */
export interface SignInPaths {
  /** Default `/login`. */
  login?: string;
  /** Default `/callback`. The grant's `redirectUri` must point here. */
  callback?: string;
  /** Default `/logout`. */
  logout?: string;
  /** Default `/session`. */
  session?: string;
}

/** Options of `createSignIn`. */
export interface SignInOptions {
  /** The authorization code grant (PKCE S256) the users sign in with. */
  grant: AuthorizationCodeGrant;
  /** Sealing secrets, newest first, each at least 32 characters. Add one at the front to rotate. */
  secrets: readonly string[];
  /** Where the routes are mounted. Default `/auth` (`/auth/login`, `/auth/callback`...). */
  basePath?: string;
  paths?: SignInPaths;
  cookie?: SignInCookieOptions;
  /** Token sets, keyed by session. Default a process-local `memoryTokenStore()`; share one across processes. */
  tokenStore?: TokenStore;
  /** Session records. Default a process-local `memorySignInSessionStore()`; share one across processes. */
  sessionStore?: SignInSessionStore;
  /** Token manager tuning (refresh skew, lock timings, namespace). */
  tokenManager?: Omit<TokenManagerOptions, 'store' | 'now'>;
  /** Where to go after signing in when the login had no `returnTo`. Same-origin relative path. Default `/`. */
  afterLogin?: string;
  /** Where to go after signing out. Same-origin relative path. Default `/`. */
  afterLogout?: string;
  /** Also serve logout on GET (a link). Off by default: a cross-site GET could then sign users out. */
  allowGetLogout?: boolean;
  /** How long a started login may take. Default `'10m'`. */
  transactionTtl?: Duration;
  /** Extra authorization request settings (`scope`, `extraParams` such as `prompt`). */
  authorizationRequest?: AuthorizationRequestOptions;
  /**
   * Who signed in, from the new token set (call your API's "me" endpoint, say). Default: the standard
   * profile claims of the ID token when there is one (received straight from the token endpoint over
   * TLS, OIDC Core 3.1.3.7), else `null`.
   */
  user?(tokenSet: TokenSet): Promise<SignInUser | null> | SignInUser | null;
  /** The fetch under `signIn.fetch(...)`. Default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Clock, epoch ms: sessions, seals and token expiry. Default `Date.now`. */
  now?: () => number;
  /** Receives warnings (a revocation that failed at logout). Never given tokens or secrets. */
  logger?: Pick<Logger, 'warn' | 'error'>;
}

/** Options after validation. */
export interface ResolvedSignInOptions {
  grant: AuthorizationCodeGrant;
  sealer: Sealer;
  secrets: readonly string[];
  routes: { login: string; callback: string; logout: string; session: string };
  cookie: {
    name: string;
    txName: string;
    txLaxName: string;
    secure: boolean;
    sameSite: 'Lax' | 'Strict';
    domain: string | undefined;
    path: string;
    maxAgeSeconds: number;
  };
  transactionTtlSeconds: number;
  afterLogin: string;
  afterLogout: string;
  allowGetLogout: boolean;
  now: () => number;
}

const NAME_RE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,100}$/;
const ATTR_RE = /^[\x21-\x3a\x3c-\x7e]{1,255}$/;
const PATH_RE = /^(\/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)+$/;

function seconds(value: Duration, what: string): number {
  let ms: number;
  try {
    ms = toMs(value);
  } catch (cause) {
    throw new ConfigError(`createSignIn: ${what} is not a valid duration`, { cause });
  }
  const s = Math.floor(ms / 1000);
  if (s < 1) throw new ConfigError(`createSignIn: ${what} must be at least one second`);
  return s;
}

function routePath(value: string | undefined, fallback: string, what: string): string {
  const path = value ?? fallback;
  if (typeof path !== 'string' || !PATH_RE.test(path)) {
    throw new ConfigError(`createSignIn: ${what} must be a path such as "${fallback}" (no trailing slash)`);
  }
  return path;
}

function redirectTarget(value: string | undefined, what: string): string {
  if (value === undefined) return '/';
  const safe = safeReturnTo(value);
  if (safe === null) throw new ConfigError(`createSignIn: ${what} must be a same-origin relative path such as "/"`);
  return safe;
}

/** Validate {@link SignInOptions}. Throws `ConfigError`. */
export function resolveSignInOptions(options: SignInOptions): ResolvedSignInOptions {
  const grant = options?.grant;
  if (grant?.grantType !== 'authorization_code' || typeof grant.createAuthorizationRequest !== 'function') {
    throw new ConfigError('createSignIn: `grant` must be an authorizationCode(...) grant');
  }
  let sealer: Sealer;
  try {
    sealer = createSealer(options.secrets, 'sign-in');
  } catch (cause) {
    throw new ConfigError('createSignIn: `secrets` must be a non-empty list of strings of at least 32 characters', { cause });
  }
  const basePath = options.basePath === undefined || options.basePath === '' ? '/auth' : options.basePath;
  if (basePath !== '/' && !PATH_RE.test(basePath)) {
    throw new ConfigError('createSignIn: `basePath` must be a path such as "/auth" (no trailing slash)');
  }
  const prefix = basePath === '/' ? '' : basePath;
  const paths = options.paths ?? {};
  const routes = {
    login: prefix + routePath(paths.login, '/login', 'paths.login'),
    callback: prefix + routePath(paths.callback, '/callback', 'paths.callback'),
    logout: prefix + routePath(paths.logout, '/logout', 'paths.logout'),
    session: prefix + routePath(paths.session, '/session', 'paths.session'),
  };
  if (new Set(Object.values(routes)).size !== 4) throw new ConfigError('createSignIn: the four paths must differ');

  const c = options.cookie ?? {};
  const secure = c.secure ?? true;
  const sameSite = c.sameSite ?? 'Lax';
  if (sameSite !== 'Lax' && sameSite !== 'Strict') throw new ConfigError('createSignIn: cookie.sameSite must be "Lax" or "Strict"');
  const path = c.path ?? '/';
  if (!path.startsWith('/') || !ATTR_RE.test(path)) throw new ConfigError('createSignIn: cookie.path must start with "/"');
  const domain = c.domain;
  if (domain !== undefined && (!ATTR_RE.test(domain) || !/^\.?[A-Za-z0-9.-]+$/.test(domain))) {
    throw new ConfigError('createSignIn: cookie.domain must be a host name');
  }
  const hostOnly = secure && domain === undefined && path === '/';
  const name = c.name ?? (hostOnly ? '__Host-auth_signin' : 'auth_signin');
  if (!NAME_RE.test(name)) throw new ConfigError('createSignIn: cookie.name must be a cookie token');
  if (name.startsWith('__Host-') && !hostOnly) {
    throw new ConfigError('createSignIn: a `__Host-` cookie must be Secure, with path "/" and no domain');
  }
  if (name.startsWith('__Secure-') && !secure) throw new ConfigError('createSignIn: a `__Secure-` cookie must be Secure');

  return {
    grant,
    sealer,
    secrets: options.secrets,
    routes,
    cookie: {
      name,
      txName: `${name}_tx`,
      txLaxName: `${name}_tx_lax`,
      secure,
      sameSite,
      domain,
      path,
      maxAgeSeconds: seconds(c.maxAge ?? '12h', 'cookie.maxAge'),
    },
    transactionTtlSeconds: seconds(options.transactionTtl ?? '10m', 'transactionTtl'),
    afterLogin: redirectTarget(options.afterLogin, 'afterLogin'),
    afterLogout: redirectTarget(options.afterLogout, 'afterLogout'),
    allowGetLogout: options.allowGetLogout === true,
    now: options.now ?? Date.now,
  };
}
