/**
 * Signing users in to another API with the authorization code grant (PKCE S256), as four Web-standard
 * routes every adapter mounts as is, plus accessors that need nothing but the `Cookie` header.
 *
 * @module
 */
import { randomBase64url } from '../../crypto/random.js';
import { ConfigError, CsrfError, ReauthenticationRequiredError } from '../../errors.js';
import type { PreParsedBody } from '../../server/oauth/request-params.js';
import { authFetch, type AuthenticatedFetch } from '../auth-fetch.js';
import type { AppliedCredential, CredentialSource } from '../credential-source.js';
import { memoryTokenStore } from '../memory-token-store.js';
import { createTokenManager, type TokenManager } from '../token-manager.js';
import type { TokenSet } from '../token-set.js';
import { safeReturnTo } from './return-to.js';
import { memorySignInSessionStore, type SignInSessionRecord, type SignInUser } from './session-store.js';
import { createSignInCookies } from './sign-in-cookies.js';
import { renderSignInError, signInRequestError, toSignInError } from './sign-in-errors.js';
import { readForm } from './sign-in-form.js';
import { resolveSignInOptions, type SignInOptions } from './sign-in-options.js';

/** Where the accessors find the session: a `Cookie` header value, or a request or headers carrying one. */
export type CookieSource = string | Headers | Request | null | undefined;

/** A signed-in session, as server code sees it. Never contains a token. */
export interface SignInSession {
  /** Opaque id: the token store subject of this session. Do not send it to the browser. */
  sessionId: string;
  user: SignInUser | null;
  scope: string | null;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms. */
  expiresAt: number;
  /** CSRF token to put in the logout form (`_csrf`) or send as `x-csrf-token`. */
  csrfToken: string;
}

/** Options of {@link SignIn.handle}. */
export interface SignInHandleOptions {
  /** The form body, when the framework already parsed it (`form_post` callback, logout form). */
  body?: PreParsedBody;
}

/** The sign-in routes and session accessors. */
export interface SignIn {
  /**
   * Serve one of the four routes (see {@link SignIn.matches}); anything else is a 404 JSON. Never throws:
   * failures are standard error responses (HTML when a browser navigated, JSON otherwise).
   */
  handle(request: Request, options?: SignInHandleOptions): Promise<Response>;
  /** Whether `pathname` is one of the routes (exact match, one trailing slash ignored). */
  matches(pathname: string): boolean;
  /** The route paths, with the base path. */
  readonly paths: { readonly login: string; readonly callback: string; readonly logout: string; readonly session: string };
  /** The session of a request, or null when not signed in (absent, tampered, expired or logged-out cookie). */
  getSession(cookies: CookieSource): Promise<SignInSession | null>;
  /**
   * Whether the request carries an intact, unexpired session cookie of this app, checked with the
   * sealing secrets alone (no store call): cheap enough for edge-of-app redirects (a Next.js proxy).
   * A session signed out elsewhere still passes until its cookie expires; use {@link SignIn.getSession}
   * where it matters.
   */
  hasSessionCookie(cookies: CookieSource): boolean;
  /**
   * A valid access token for the request's session, refreshed if needed (one refresh per session at a
   * time, rotated refresh token stored before anyone sees the new access token). Rejects with
   * `ReauthenticationRequiredError` (401) when not signed in or when the refresh token is no longer
   * accepted; the session is then signed out.
   */
  getAccessToken(cookies: CookieSource): Promise<string>;
  /** A `fetch` that sends the session's access token, refreshing and retrying once on a 401. */
  fetch(cookies: CookieSource): AuthenticatedFetch;
  /** The session's credentials as a `CredentialSource` (for `@auth/axios` `attach`). */
  credentialSource(cookies: CookieSource): CredentialSource;
  /** The token manager: subjects are session ids. */
  readonly tokens: TokenManager;
}

const STANDARD_CLAIMS = ['sub', 'name', 'given_name', 'family_name', 'preferred_username', 'email', 'email_verified', 'picture', 'locale'];

function idTokenUser(tokenSet: TokenSet): SignInUser | null {
  const payload = tokenSet.idToken?.split('.')[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const user: SignInUser = {};
    for (const name of STANDARD_CLAIMS) if (claims[name] !== undefined) user[name] = claims[name];
    return Object.keys(user).length ? user : null;
  } catch {
    return null;
  }
}

function cookieHeaderOf(source: CookieSource): string | null {
  if (source === undefined || source === null) return null;
  if (typeof source === 'string') return source;
  if (source instanceof Request) return source.headers.get('cookie');
  if (source instanceof Headers) return source.get('cookie');
  throw new ConfigError('Pass the Cookie header value, a Headers object or a Request');
}

function trimSlash(pathname: string): string {
  return pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
}

function redirect(location: string, setCookies: readonly string[]): Response {
  const headers = new Headers({ location, 'cache-control': 'no-store' });
  for (const c of setCookies) headers.append('set-cookie', c);
  return new Response(null, { status: 303, headers });
}

function notSignedIn(): ReauthenticationRequiredError {
  return new ReauthenticationRequiredError('login_required', 'Not signed in', { status: 401 });
}

/**
 * Create the sign-in routes: `/login`, `/callback` (GET query and POST `form_post`), `/logout` and
 * `/session` under `basePath` (default `/auth`), with tokens kept server-side per session.
 *
 * @example
 * ```ts
 * const signIn = createSignIn({
 *   grant: authorizationCode({ issuer: 'https://api.example.com', clientId, clientSecret,
 *     redirectUri: 'https://app.example.com/auth/callback', scope: 'read', responseMode: 'form_post' }),
 *   secrets: [process.env.SIGN_IN_SECRET!],
 * });
 * // any Web-standard server: mount the routes
 * if (signIn.matches(new URL(req.url).pathname)) return signIn.handle(req);
 * // anywhere in server code
 * const res = await signIn.fetch(req.headers.get('cookie'))('https://api.example.com/v1/me');
 * ```
 */
export function createSignIn(options: SignInOptions): SignIn {
  const o = resolveSignInOptions(options);
  const grant = o.grant;
  const cookies = createSignInCookies(o);
  const sessions = options.sessionStore ?? memorySignInSessionStore({ now: o.now });
  const tokens = createTokenManager(grant, {
    namespace: 'auth:sign-in',
    ...options.tokenManager,
    store: options.tokenStore ?? memoryTokenStore({ now: o.now }),
    now: o.now,
  });
  const logger = options.logger;
  const resolveUser = options.user ?? idTokenUser;
  const routes = o.routes;

  async function sessionOf(header: string | null): Promise<SignInSession | null> {
    const sessionId = cookies.readSession(header);
    if (sessionId === null) return null;
    const record = await sessions.get(sessionId);
    if (!record || record.expiresAt <= o.now()) return null;
    return { sessionId, ...record, csrfToken: cookies.csrfToken(sessionId) };
  }

  async function requireSession(source: CookieSource): Promise<SignInSession> {
    const session = await sessionOf(cookieHeaderOf(source));
    if (!session) throw notSignedIn();
    return session;
  }

  async function signOutLocally(sessionId: string): Promise<void> {
    await sessions.delete(sessionId);
    await tokens.invalidate(sessionId);
  }

  /** Run `work` for a session; a dead refresh token signs the session out so `getSession` agrees. */
  async function withSession<T>(sessionId: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof ReauthenticationRequiredError) {
        await sessions.delete(sessionId);
        // To the app's user this is "sign in again" (401), not the provider's 400 invalid_grant.
        throw new ReauthenticationRequiredError('login_required', 'The session has ended: sign in again', {
          status: 401,
          cause: err,
        });
      }
      throw err;
    }
  }

  async function login(request: Request, url: URL): Promise<Response> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      throw signInRequestError('Use GET', 405, { allow: 'GET, HEAD' });
    }
    const requested = url.searchParams.getAll('returnTo');
    if (requested.length > 1) throw signInRequestError('returnTo is repeated');
    let returnTo: string | null = null;
    if (requested.length === 1) {
      returnTo = safeReturnTo(requested[0]);
      if (returnTo === null) throw signInRequestError('returnTo must be a relative path on this site, such as /account');
    }
    const { url: authorizationUrl, transaction } = await grant.createAuthorizationRequest(options.authorizationRequest);
    return redirect(authorizationUrl.href, cookies.issueTransaction({ transaction, returnTo }));
  }

  async function callback(request: Request, url: URL, body: PreParsedBody | undefined): Promise<Response> {
    if (request.method !== 'GET' && request.method !== 'POST') {
      throw signInRequestError('Use GET or POST', 405, { allow: 'GET, POST' });
    }
    const clear = cookies.clearTransaction();
    try {
      const started = cookies.readTransaction(request.headers.get('cookie'));
      if (!started) {
        throw signInRequestError('No sign-in was started in this browser, or it expired; please sign in again');
      }
      const { transaction, returnTo } = started;
      const expected = transaction.responseMode === 'form_post' ? 'POST' : 'GET';
      if (request.method !== expected) {
        throw signInRequestError(`This sign-in expects its callback as ${expected} (response_mode=${transaction.responseMode})`);
      }
      const params = request.method === 'GET' ? url.searchParams : await readForm(request, body);
      const tokenSet = await grant.handleCallback(params, transaction);
      // A fresh id on every sign-in: a session id known before login (fixation) is worth nothing after.
      const sessionId = randomBase64url(24);
      await tokens.set(sessionId, tokenSet);
      const now = o.now();
      const record: SignInSessionRecord = {
        user: (await resolveUser(tokenSet)) ?? null,
        scope: tokenSet.scope ?? null,
        createdAt: now,
        expiresAt: now + o.cookie.maxAgeSeconds * 1000,
      };
      await sessions.set(sessionId, record);
      const previous = cookies.readSession(request.headers.get('cookie'));
      if (previous !== null) await signOutLocally(previous).catch(() => {});
      return redirect(returnTo ?? o.afterLogin, [...clear, cookies.issueSession(sessionId)]);
    } catch (err) {
      if (toSignInError(err) === null) {
        logger?.error('sign-in: unexpected failure', { route: 'callback', error: err instanceof Error ? err.name : typeof err });
      }
      return renderSignInError(err, request, clear);
    }
  }

  async function logout(request: Request, url: URL, body: PreParsedBody | undefined): Promise<Response> {
    const isGet = request.method === 'GET';
    if (request.method !== 'POST' && !(isGet && o.allowGetLogout)) {
      throw signInRequestError('Use POST', 405, { allow: o.allowGetLogout ? 'GET, POST' : 'POST' });
    }
    const session = await sessionOf(request.headers.get('cookie'));
    if (session && !isGet) {
      const site = request.headers.get('sec-fetch-site')?.toLowerCase();
      if (site !== undefined && site !== 'same-origin' && site !== 'none') throw new CsrfError('Cross-site request refused');
      const origin = request.headers.get('origin');
      if (origin !== null && origin !== url.origin) throw new CsrfError('Request origin is not trusted');
      let presented = request.headers.get('x-csrf-token') ?? undefined;
      if (presented === undefined && (body !== undefined || request.headers.get('content-type') !== null)) {
        const fields = await readForm(request, body);
        presented = fields.getAll('_csrf').length === 1 ? (fields.get('_csrf') ?? undefined) : undefined;
      }
      if (!cookies.checkCsrfToken(session.sessionId, presented)) throw new CsrfError('Missing or invalid CSRF token');
    }
    if (session) {
      try {
        await tokens.revoke(session.sessionId);
      } catch (err) {
        // The local copy is gone either way; the tokens die at their expiry at the latest.
        logger?.warn('sign-in: token revocation failed at logout', { error: err instanceof Error ? err.name : typeof err });
      }
      await sessions.delete(session.sessionId);
    }
    return redirect(o.afterLogout, [cookies.clearSession(), ...cookies.clearTransaction()]);
  }

  async function sessionRoute(request: Request): Promise<Response> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      throw signInRequestError('Use GET', 405, { allow: 'GET, HEAD' });
    }
    const session = await sessionOf(request.headers.get('cookie'));
    const body = session
      ? {
          signedIn: true,
          user: session.user,
          scope: session.scope,
          expiresAt: new Date(session.expiresAt).toISOString(),
          csrfToken: session.csrfToken,
        }
      : { signedIn: false };
    return new Response(request.method === 'HEAD' ? null : JSON.stringify(body), {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', vary: 'cookie' },
    });
  }

  function credentialSource(source: CookieSource): CredentialSource {
    const header = cookieHeaderOf(source);
    return {
      scheme: 'oauth',
      renewable: true,
      async credential() {
        const session = await requireSession(header);
        return withSession(session.sessionId, () => tokens.credential({ subject: session.sessionId }));
      },
      async renew(rejected: AppliedCredential) {
        const session = await requireSession(header);
        // A credential from another session never renews this one.
        if (rejected.subject !== session.sessionId) return null;
        return withSession(session.sessionId, () => tokens.renew(rejected));
      },
    };
  }

  return {
    async handle(request, handleOptions) {
      let url: URL;
      try {
        url = new URL(request.url);
      } catch {
        return renderSignInError(signInRequestError('Invalid request URL'), request);
      }
      const pathname = trimSlash(url.pathname);
      try {
        switch (pathname) {
          case routes.login:
            return await login(request, url);
          case routes.callback:
            return await callback(request, url, handleOptions?.body);
          case routes.logout:
            return await logout(request, url, handleOptions?.body);
          case routes.session:
            return await sessionRoute(request);
          default:
            return renderSignInError(signInRequestError('No such route', 404), request);
        }
      } catch (err) {
        if (toSignInError(err) === null) {
          logger?.error('sign-in: unexpected failure', { route: pathname, error: err instanceof Error ? err.name : typeof err });
        }
        return renderSignInError(err, request);
      }
    },
    matches(pathname) {
      const p = trimSlash(pathname);
      return p === routes.login || p === routes.callback || p === routes.logout || p === routes.session;
    },
    paths: { ...routes },
    getSession: (source) => sessionOf(cookieHeaderOf(source)),
    hasSessionCookie: (source) => cookies.readSession(cookieHeaderOf(source)) !== null,
    async getAccessToken(source) {
      const session = await requireSession(source);
      return withSession(session.sessionId, () => tokens.getAccessToken(session.sessionId));
    },
    fetch(source) {
      return authFetch(credentialSource(source), options.fetch ? { fetch: options.fetch } : {});
    },
    credentialSource,
    tokens,
  };
}
