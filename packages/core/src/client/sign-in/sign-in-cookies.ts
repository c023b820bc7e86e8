/**
 * The two cookies of the sign-in routes.
 *
 * - The **session cookie** holds only a sealed, random session id (about 100 bytes). Tokens stay in the
 *   token store and user details in the session store, so the cookie never changes after sign-in: a
 *   refresh from a context that cannot set cookies (a Next.js Server Component) loses nothing.
 * - The **transaction cookie** holds the sealed login transaction (state, PKCE verifier, returnTo) from
 *   `/login` to `/callback`. It is set twice with one value: `SameSite=None; Secure`, which browsers
 *   send on the cross-site `form_post` POST from the authorization server, and `SameSite=Lax`, for
 *   browsers that refuse `None` (the query-mode GET callback is a top-level navigation, which carries
 *   Lax cookies). Sending it cross-site is safe: it authorises nothing by itself, and the callback is
 *   bound to it (state compared in constant time, PKCE verifier only in the seal), so a code or state
 *   from another browser never completes a login here (login CSRF).
 *
 * @module
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { safeEqual } from '../../crypto/hash.js';
import { cookieValues, serializeSetCookie } from '../../server/cookies/cookie-header.js';
import type { AuthorizationTransaction } from '../authorization-callback.js';
import type { ResolvedSignInOptions } from './sign-in-options.js';

/** A started login, as sealed in the transaction cookie. */
export interface SealedTransaction {
  transaction: AuthorizationTransaction;
  returnTo: string | null;
}

/** Reading a cookie header that may carry a planted duplicate: ambiguous reads count as absent. */
const MAX_COOKIE_HEADER = 16_384;

/** Seal, read and clear the session and transaction cookies. */
export interface SignInCookies {
  /** `Set-Cookie` for a new session id. */
  issueSession(sessionId: string): string;
  /** The session id in a `Cookie` header, or null (absent, tampered, expired, duplicated). */
  readSession(cookieHeader: string | null): string | null;
  /** `Set-Cookie` that deletes the session cookie. */
  clearSession(): string;
  /** `Set-Cookie` headers for a new transaction (the `None` copy only when `Secure`). */
  issueTransaction(value: SealedTransaction): string[];
  /** The transaction in a `Cookie` header, or null (absent, tampered, expired, ambiguous). */
  readTransaction(cookieHeader: string | null): SealedTransaction | null;
  /** `Set-Cookie` headers that delete both transaction copies. */
  clearTransaction(): string[];
  /** The CSRF token of a session, for logout forms (`_csrf`) and `x-csrf-token`. */
  csrfToken(sessionId: string): string;
  /** Whether `presented` is the CSRF token of the session (any sealing secret, so rotation is smooth). */
  checkCsrfToken(sessionId: string, presented: string | undefined): boolean;
}

function single(header: string | null, name: string): string | null | 'ambiguous' {
  if (header === null || header.length > MAX_COOKIE_HEADER) return null;
  const values = cookieValues(header, name);
  if (values.length > 1) return 'ambiguous';
  return values[0] ?? null;
}

/** Build the cookie helper from resolved options. */
export function createSignInCookies(o: ResolvedSignInOptions): SignInCookies {
  const c = o.cookie;
  const sessionPurpose = `sign-in-session:${c.name}`;
  const txPurpose = `sign-in-transaction:${c.name}`;
  const csrfKeys = o.secrets.map((s) => Buffer.from(hkdfSync('sha256', s, 'auth-sign-in-csrf', c.name, 32)));

  const attributes = (seconds: number, sameSite: 'Lax' | 'Strict' | 'None') => ({
    maxAgeSeconds: seconds,
    expires: new Date(seconds === 0 ? 0 : o.now() + seconds * 1000),
    path: c.path,
    domain: c.domain,
    secure: c.secure || sameSite === 'None',
    httpOnly: true,
    sameSite,
  });
  const hmac = (key: Buffer, sessionId: string) => createHmac('sha256', key).update(`csrf\0${sessionId}`).digest('base64url');

  return {
    issueSession(sessionId) {
      const value = o.sealer.seal({ i: sessionId }, { purpose: sessionPurpose, ttlSeconds: c.maxAgeSeconds, now: o.now() });
      return serializeSetCookie(c.name, value, attributes(c.maxAgeSeconds, c.sameSite));
    },
    readSession(header) {
      const value = single(header, c.name);
      if (value === null || value === 'ambiguous') return null;
      const payload = o.sealer.unseal<{ i?: unknown }>(value, { purpose: sessionPurpose, now: o.now() });
      return payload && typeof payload.i === 'string' && payload.i !== '' ? payload.i : null;
    },
    clearSession: () => serializeSetCookie(c.name, '', attributes(0, c.sameSite)),
    issueTransaction(value) {
      const sealed = o.sealer.seal(value, { purpose: txPurpose, ttlSeconds: o.transactionTtlSeconds, now: o.now() });
      const lax = serializeSetCookie(c.txLaxName, sealed, attributes(o.transactionTtlSeconds, 'Lax'));
      // Browsers drop `SameSite=None` without `Secure`: with secure off only the Lax copy can exist.
      return c.secure ? [serializeSetCookie(c.txName, sealed, attributes(o.transactionTtlSeconds, 'None')), lax] : [lax];
    },
    readTransaction(header) {
      const none = single(header, c.txName);
      const lax = single(header, c.txLaxName);
      if (none === 'ambiguous' || lax === 'ambiguous') return null;
      // Both copies are written together: two different values mean one was planted.
      if (none !== null && lax !== null && none !== lax) return null;
      const value = none ?? lax;
      if (value === null) return null;
      const payload = o.sealer.unseal<SealedTransaction>(value, { purpose: txPurpose, now: o.now() });
      if (!payload || typeof payload !== 'object' || typeof payload.transaction?.state !== 'string') return null;
      return payload;
    },
    clearTransaction() {
      const cleared = [serializeSetCookie(c.txLaxName, '', attributes(0, 'Lax'))];
      if (c.secure) cleared.unshift(serializeSetCookie(c.txName, '', attributes(0, 'None')));
      return cleared;
    },
    csrfToken: (sessionId) => hmac(csrfKeys[0]!, sessionId),
    checkCsrfToken(sessionId, presented) {
      if (typeof presented !== 'string' || presented.length === 0 || presented.length > 256) return false;
      return csrfKeys.some((key) => safeEqual(presented, hmac(key, sessionId)));
    },
  };
}
