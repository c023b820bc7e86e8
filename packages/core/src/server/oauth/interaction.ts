/**
 * Login and consent are the host application's business; this file holds the contract the host plugs in
 * and the sealed "pending authorization" that survives the redirect round-trips between them.
 *
 * @module
 */
import { randomBase64url } from '../../crypto/random.js';
import { cookieValues, serializeSetCookie } from '../cookies/cookie-header.js';
import type { ServerContext } from '../context.js';

/** The signed-in user, as the host app knows them. */
export interface InteractionUser {
  userId: string;
  businessId?: string | null;
}

/** One consent decision: this user lets this client use these scopes. */
export interface ConsentGrant {
  userId: string;
  businessId: string | null;
  clientId: string;
  scopes: readonly string[];
}

/**
 * How the authorization endpoint finds the user and their consent. Every member is optional: the
 * defaults are the built-in login and consent pages and the session cookies.
 *
 * @example
 * ```ts
 * interaction: {
 *   currentUser: (req) => myApp.sessionUser(req.headers.get('cookie')),
 *   loginUrl: (returnTo) => `https://app.example.com/login?next=${encodeURIComponent(returnTo)}`,
 *   hasConsent: (g) => myApp.consents.covers(g.userId, g.clientId, g.scopes),
 *   recordConsent: (g) => myApp.consents.save(g),
 * }
 * ```
 */
export interface OAuthInteraction {
  /** Who is signed in, from the request. Default: the session cookie read by `deps.sessions`. */
  currentUser?(request: Request): Promise<InteractionUser | null> | InteractionUser | null;
  /**
   * Where to send a user who is not signed in. After signing in, the host app redirects the browser to
   * `returnTo` (an absolute URL of the authorization endpoint carrying a sealed `tx`). Default: the
   * built-in login page.
   */
  loginUrl?(returnTo: string, request: Request): string;
  /**
   * Where to ask for consent when {@link hasConsent} says no. The host page records the decision, then
   * redirects to `returnTo` (approved) or to `returnTo` + `&deny=1` (refused). Default: the built-in page.
   */
  consentUrl?(returnTo: string, request: Request): string;
  /** Whether this user already consented to these scopes for this client. Default: never (always ask). */
  hasConsent?(grant: ConsentGrant): Promise<boolean> | boolean;
  /** Record consent given on the built-in consent page. Default: not recorded (asked again next time). */
  recordConsent?(grant: ConsentGrant): Promise<void> | void;
}

/** An authorization request that passed validation, waiting for login and consent. */
export interface PendingAuthorization {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string | null;
  codeChallenge: string | null;
  responseMode: 'query' | 'form_post';
  /** `prompt=none`: fail instead of showing a page. */
  promptNone: boolean;
  /** The browser binding (see {@link browserId}): a `tx` only works in the browser that started it. */
  bid: string;
}

const PENDING_PURPOSE = 'oauth-pending-authorization';
const CSRF_PURPOSE = 'oauth-interaction-csrf';

/** Seal a pending request for a query parameter. The browser can carry it but not read or alter it. */
export function sealPending(ctx: ServerContext, pending: PendingAuthorization, lifetimeMs: number): string {
  return ctx.sealer.seal(pending, {
    purpose: PENDING_PURPOSE,
    ttlSeconds: Math.ceil(lifetimeMs / 1000),
    now: ctx.now(),
  });
}

/** Open a sealed pending request; null when tampered, expired or opened in another browser. */
export function openPending(ctx: ServerContext, tx: string, bid: string | null): PendingAuthorization | null {
  const pending = ctx.sealer.unseal<PendingAuthorization>(tx, { purpose: PENDING_PURPOSE, now: ctx.now() });
  if (!pending || typeof pending !== 'object' || bid === null || pending.bid !== bid) return null;
  return pending;
}

/** A CSRF token for the built-in pages, bound to the browser and to one pending request. */
export function interactionCsrfToken(ctx: ServerContext, bid: string, tx: string, lifetimeMs: number): string {
  return ctx.sealer.seal(
    { b: bid, t: tx.slice(-24) },
    { purpose: CSRF_PURPOSE, ttlSeconds: Math.ceil(lifetimeMs / 1000), now: ctx.now() },
  );
}

/** Whether a CSRF token from a built-in page's form is valid for this browser and pending request. */
export function checkInteractionCsrf(ctx: ServerContext, token: string | undefined, bid: string | null, tx: string): boolean {
  if (!token || bid === null) return false;
  const value = ctx.sealer.unseal<{ b: string; t: string }>(token, { purpose: CSRF_PURPOSE, now: ctx.now() });
  return value !== null && value.b === bid && value.t === tx.slice(-24);
}

/** Name of the browser-binding cookie: `__Host-` prefixed when the issuer is https. */
export function browserCookieName(issuer: string): string {
  return issuer.startsWith('https:') ? '__Host-oauth_browser' : 'oauth_browser';
}

const BID_RE = /^[A-Za-z0-9_-]{22,64}$/;

/**
 * The random id binding an authorization to the browser that started it, read from its cookie. Null when
 * absent, malformed, or ambiguous (two cookies of that name: somebody planted one).
 */
export function browserId(request: Request, issuer: string): string | null {
  const values = cookieValues(request.headers.get('cookie') ?? '', browserCookieName(issuer));
  return values.length === 1 && BID_RE.test(values[0]!) ? values[0]! : null;
}

/** A new browser id and the `Set-Cookie` header that stores it. */
export function newBrowserId(ctx: ServerContext): { bid: string; setCookie: string } {
  const bid = randomBase64url(18);
  const maxAgeSeconds = 86_400;
  const setCookie = serializeSetCookie(browserCookieName(ctx.issuer), bid, {
    maxAgeSeconds,
    expires: new Date(ctx.now() + maxAgeSeconds * 1000),
    path: '/',
    domain: undefined,
    secure: ctx.issuer.startsWith('https:'),
    httpOnly: true,
    // Lax: the authorization request arrives as a top-level navigation from the client's site.
    sameSite: 'Lax',
  });
  return { bid, setCookie };
}
