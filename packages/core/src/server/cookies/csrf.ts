/**
 * CSRF protection for cookie-authenticated requests: a per-session token (HMAC of the session id under a
 * per-session key kept inside the sealed cookie) submitted back in a header or form field, plus a
 * `Sec-Fetch-Site` / `Origin` check.
 *
 * @module
 */
import { createHmac } from 'node:crypto';
import { safeEqual } from '../../crypto/hash.js';
import { CsrfError } from '../../errors.js';

/** Methods that change state and so need a CSRF proof (RFC 9110 section 9.2.1: everything not safe). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/** Whether `method` is safe (`GET`, `HEAD`, `OPTIONS`, `TRACE`). An unknown or missing method is unsafe. */
export function isSafeMethod(method: string | undefined): boolean {
  if (method === 'GET' || method === 'HEAD') return true;
  // Frameworks pass methods uppercased; the case-folding lookup is for the rest.
  return method !== undefined && SAFE_METHODS.has(method.toUpperCase());
}

/**
 * The CSRF token of a session. The key never leaves the sealed cookie, so knowing a session id (from a
 * log, say) is not enough to forge the token.
 */
export function deriveCsrfToken(sessionId: string, key: string): string {
  return createHmac('sha256', key).update(`csrf\0${sessionId}`).digest('base64url');
}

/** What {@link checkCsrf} looks at. */
export interface CsrfEvidence {
  /** The token from the CSRF header or form field, if any. */
  presented: string | undefined;
  /** `Sec-Fetch-Site` request header, if sent. */
  secFetchSite: string | undefined;
  /** `Origin` request header, if sent. */
  origin: string | undefined;
}

/** How {@link checkCsrf} judges origins. */
export interface CsrfPolicy {
  /** Origins allowed to send unsafe cookie-authenticated requests (`https://app.example.com`). */
  trustedOrigins: ReadonlySet<string>;
  /** Accept `Sec-Fetch-Site: same-site` (sibling subdomains). */
  allowSameSite: boolean;
}

/**
 * Throw {@link CsrfError} unless the evidence proves the request came from the application itself.
 * The token is always required; the origin checks refuse a cross-site request even if it somehow holds
 * a token.
 */
export function checkCsrf(expected: string, evidence: CsrfEvidence, policy: CsrfPolicy): void {
  const site = evidence.secFetchSite?.toLowerCase();
  if (site !== undefined && site !== 'same-origin' && site !== 'none' && !(site === 'same-site' && policy.allowSameSite)) {
    throw new CsrfError('Cross-site request refused');
  }
  // An opaque origin ("null": sandboxed frames, some redirects) is never in the trusted set, with one
  // exception: a page served with `Referrer-Policy: no-referrer` (as the core's own pages are) makes the
  // browser send `Origin: null` on its own same-origin form posts (Fetch, "append a request Origin
  // header"). `Sec-Fetch-Site` is set by the browser alone, and is `cross-site` for opaque initiators, so
  // `same-origin` with `null` is exactly that case. The token is still required below.
  const nullFromOwnPage = evidence.origin === 'null' && site === 'same-origin';
  if (evidence.origin !== undefined && !nullFromOwnPage && !policy.trustedOrigins.has(evidence.origin)) {
    throw new CsrfError('Request origin is not trusted');
  }
  if (!evidence.presented || !safeEqual(evidence.presented, expected)) {
    throw new CsrfError('Missing or invalid CSRF token');
  }
}
