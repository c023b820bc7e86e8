/**
 * Sealed session cookies and CSRF (seed 003; RFC 6265; OWASP CSRF Prevention Cheat Sheet; Fetch Metadata).
 *
 * @module
 */
import { expect } from 'vitest';
import type { ConformanceValues } from '../fixture.js';
import type { RequestCase, ScenarioCase } from '../types.js';
import { later } from './helpers.js';
import { resourceCase } from './resource.js';

const value = (v: ConformanceValues) => v.cookie.slice(v.cookieName.length + 1);
const c = (name: string, source: string, method: 'GET' | 'POST', headers: (v: ConformanceValues) => Record<string, string>, status: number, error?: string) =>
  resourceCase('cookies', name, source, method, method === 'GET' ? '/me' : '/items', headers, status, error, status === 200 ? 'cookie' : undefined, (a) => {
    if (status === 401 && error === 'invalid_token' && a.header('www-authenticate')?.startsWith('Cookie')) {
      expect(a.header('www-authenticate')).toContain('error="invalid_token"');
    }
  });

/** Flip one character in the middle of the ciphertext. */
function flip(s: string, at: number): string {
  const ch = s[at] === 'A' ? 'B' : 'A';
  return s.slice(0, at) + ch + s.slice(at + 1);
}

export const COOKIE_CASES: readonly (RequestCase | ScenarioCase)[] = [
  c('cookie among other cookies', 'RFC 6265 5.4', 'GET', (v) => ({ cookie: `a=1; ${v.cookie}; b=2` }), 200),
  c('quoted cookie value', 'RFC 6265 4.1.1 (cookie-value may be DQUOTEd)', 'GET', (v) => ({ cookie: `${v.cookieName}="${value(v)}"` }), 200),
  c('one bit of the ciphertext changed', 'AES-GCM integrity (NIST SP 800-38D); RFC 6265 8.6', 'GET', (v) => ({ cookie: `${v.cookieName}=${flip(value(v), value(v).length - 30)}` }), 401, 'invalid_token'),
  c('IV changed', 'NIST SP 800-38D', 'GET', (v) => {
    const parts = value(v).split('.');
    parts[2] = flip(parts[2]!, 3);
    return { cookie: `${v.cookieName}=${parts.join('.')}` };
  }, 401, 'invalid_token'),
  c('key id changed', 'seal format v1.<kid>', 'GET', (v) => {
    const parts = value(v).split('.');
    parts[1] = flip(parts[1]!, 0);
    return { cookie: `${v.cookieName}=${parts.join('.')}` };
  }, 401, 'invalid_token'),
  c('version changed', 'seal format v1', 'GET', (v) => ({ cookie: `${v.cookieName}=v2${value(v).slice(2)}` }), 401, 'invalid_token'),
  c('non-canonical base64url (extra character)', 'RFC 4648 3.5 (canonical encoding)', 'GET', (v) => ({ cookie: `${v.cookie}A` }), 401, 'invalid_token'),
  c('truncated to the first part', 'RFC 6265 8.6', 'GET', (v) => ({ cookie: `${v.cookieName}=${value(v).split('.').slice(0, 2).join('.')}` }), 401, 'invalid_token'),
  c('empty cookie value', 'RFC 6265 4.1.1', 'GET', (v) => ({ cookie: `${v.cookieName}=` }), 401, 'invalid_token'),
  c('junk cookie value', 'RFC 6265 8.6', 'GET', (v) => ({ cookie: `${v.cookieName}=hello` }), 401, 'invalid_token'),
  c('value sealed for another cookie name', 'seed 003 (purpose binding); RFC 6265 8.6', 'GET', (v) => ({ cookie: v.otherNameCookie }), 401, 'invalid_token'),
  c('our value under another cookie name: no credentials', 'RFC 6265 5.4', 'GET', (v) => ({ cookie: `other_session=${value(v)}` }), 401, 'invalid_token'),
  c('sealed with a retired key', 'seed 003 (key rotation: retired keys stop opening)', 'GET', (v) => ({ cookie: v.retiredKeyCookie }), 401, 'invalid_token'),
  c('the session cookie twice (cookie tossing)', 'RFC 6265 8.6; OWASP cookie tossing', 'GET', (v) => ({ cookie: `${v.cookie}; ${v.cookie}` }), 400, 'invalid_request'),
  c('retired-key cookie on an unsafe method with a token', 'seed 003', 'POST', (v) => ({ cookie: v.retiredKeyCookie, 'x-csrf-token': v.csrfToken }), 401, 'invalid_token'),
  // CSRF on unsafe methods.
  c('CSRF: token of another session', 'OWASP CSRF (per-session token)', 'POST', (v) => ({ cookie: v.cookie, 'x-csrf-token': 'A'.repeat(43) }), 403, 'invalid_request'),
  c('CSRF: empty token header', 'OWASP CSRF', 'POST', (v) => ({ cookie: v.cookie, 'x-csrf-token': '' }), 403, 'invalid_request'),
  c('CSRF: Sec-Fetch-Site cross-site, even with the token', 'Fetch Metadata Request Headers (W3C) 2.4', 'POST', (v) => ({ cookie: v.cookie, 'x-csrf-token': v.csrfToken, 'sec-fetch-site': 'cross-site' }), 403, 'invalid_request'),
  c('CSRF: Sec-Fetch-Site same-site refused by default', 'Fetch Metadata 2.4', 'POST', (v) => ({ cookie: v.cookie, 'x-csrf-token': v.csrfToken, 'sec-fetch-site': 'same-site' }), 403, 'invalid_request'),
  c('CSRF: Sec-Fetch-Site same-origin with the token', 'Fetch Metadata 2.4', 'POST', (v) => ({ cookie: v.cookie, 'x-csrf-token': v.csrfToken, 'sec-fetch-site': 'same-origin' }), 200),
  c('CSRF: Sec-Fetch-Site none with the token', 'Fetch Metadata 2.4 (user-initiated)', 'POST', (v) => ({ cookie: v.cookie, 'x-csrf-token': v.csrfToken, 'sec-fetch-site': 'none' }), 200),
  c('CSRF: untrusted Origin, even with the token', 'RFC 6454 7; OWASP CSRF (verify origin)', 'POST', (v) => ({ cookie: v.cookie, 'x-csrf-token': v.csrfToken, origin: 'https://evil.example' }), 403, 'invalid_request'),
  c('CSRF: Origin null', 'RFC 6454 7.3', 'POST', (v) => ({ cookie: v.cookie, 'x-csrf-token': v.csrfToken, origin: 'null' }), 403, 'invalid_request'),
  c('CSRF: the issuer Origin with the token', 'RFC 6454 7', 'POST', (v) => ({ cookie: v.cookie, 'x-csrf-token': v.csrfToken, origin: v.issuer }), 200),
  c('CSRF: repeated token header', 'RFC 9110 5.3', 'POST', (v) => ({ cookie: v.cookie, 'x-csrf-token': `${v.csrfToken}, ${v.csrfToken}` }), 400, 'invalid_request'),
  c('CSRF: safe method from another site still reads', 'RFC 9110 9.2.1 (safe methods)', 'GET', (v) => ({ cookie: v.cookie, 'sec-fetch-site': 'cross-site' }), 200),
  {
    kind: 'scenario',
    category: 'cookies',
    name: 'expired inside the seal',
    source: 'seed 003 (expiry inside the seal, not only Max-Age)',
    async run(t) {
      const headers = { cookie: t.values.cookie };
      expect((await t.send('resource', { method: 'GET', path: '/me', headers })).status).toBe(200);
      await later(t, 13 * 3600_000, async () => {
        const res = await t.send('resource', { method: 'GET', path: '/me', headers });
        expect(res.status).toBe(401);
        expect(res.json?.error).toBe('invalid_token');
      });
    },
  },
];
