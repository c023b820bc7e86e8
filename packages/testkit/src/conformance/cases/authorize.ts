/**
 * The authorization endpoint (RFC 6749 section 3.1 and 4.1, RFC 7636, RFC 9207, RFC 9700).
 *
 * @module
 */
import { expect } from 'vitest';
import { s256CodeChallenge } from '@auth/core';
import { expectNoControlChars } from '../expect-answer.js';
import { SPA_REDIRECT, WEB_REDIRECT, WEB_REDIRECT_WITH_QUERY, OTHER_REDIRECT, type ConformanceValues } from '../fixture.js';
import type { Answer, Expectation, RequestCase } from '../types.js';
import { get } from '../wire.js';
import { AUTHORIZE, authorizeParams, authorizeRequest } from './helpers.js';

const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = s256CodeChallenge(VERIFIER);

/** An error page (HTML, 4xx, no-store) that does not redirect anywhere. */
function errorPage(error: string, status = 400): Expectation {
  return {
    status,
    error,
    headers: { location: null, 'content-type': /^text\/html/, 'cache-control': 'no-store', 'x-frame-options': 'DENY' },
    check: (a) => expectNoControlChars(a),
  };
}

/** An error sent back to the redirect URI (RFC 6749 4.1.2.1) with `state` untouched and `iss` (RFC 9207). */
function redirectError(error: string, redirectUri = WEB_REDIRECT, state: string | null = 'st-123'): Expectation {
  return {
    status: 303,
    error,
    check(a, v) {
      const location = new URL(a.header('location')!);
      expect(`${location.origin}${location.pathname}`).toBe(new URL(redirectUri).origin + new URL(redirectUri).pathname);
      expect(location.searchParams.get('state')).toBe(state);
      expect(location.searchParams.get('iss')).toBe(v.issuer);
      expect(location.searchParams.get('code')).toBeNull();
      expectNoControlChars(a);
    },
  };
}

/** A successful redirect with a code. */
function redirectCode(redirectUri = WEB_REDIRECT, state: string | null = 'st-123'): Expectation {
  return {
    status: 303,
    headers: { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
    check(a, v) {
      const location = a.header('location')!;
      expect(location.startsWith(`${redirectUri}${redirectUri.includes('?') ? '&' : '?'}`)).toBe(true);
      const params = new URL(location).searchParams;
      expect(params.get('code')).toMatch(/^ac_[0-9A-Za-z]{46}$/);
      expect(params.get('state')).toBe(state);
      expect(params.get('iss')).toBe(v.issuer);
    },
  };
}

function authorizeCase(name: string, source: string, params: (v: ConformanceValues) => Record<string, string> | string, expect: Expectation, headers?: (v: ConformanceValues) => Record<string, string>): RequestCase {
  return {
    kind: 'request',
    category: 'authorize',
    name,
    source,
    target: 'authorizationServer',
    request: (v) => (headers ? get(AUTHORIZE, params(v), headers(v)) : authorizeRequest(v, params(v))),
    expect,
  };
}

/** Redirect URIs that differ from the registered ones in one way each: none may ever be redirected to. */
const REDIRECT_VARIANTS: readonly [string, string][] = [
  ['trailing slash', `${WEB_REDIRECT}/`],
  ['explicit :443', 'https://client.example.com:443/cb'],
  ['upper-case host', 'https://CLIENT.example.com/cb'],
  ['upper-case scheme', 'HTTPS://client.example.com/cb'],
  ['upper-case path', 'https://client.example.com/CB'],
  ['extra query', `${WEB_REDIRECT}?x=1`],
  ['reordered query', 'https://client.example.com/cb?lang=en&tenant=a'],
  ['registered query plus one more', `${WEB_REDIRECT_WITH_QUERY}&x=1`],
  ['registered query minus one', 'https://client.example.com/cb?tenant=a'],
  ['fragment', `${WEB_REDIRECT}#frag`],
  ['empty fragment', `${WEB_REDIRECT}#`],
  ['%2F for the slash', 'https://client.example.com%2Fcb'],
  ['%2F..%2F traversal', 'https://client.example.com/cb%2F..%2Fevil'],
  ['percent-encoded path letter', 'https://client.example.com/%63b'],
  ['dot segment ..', 'https://client.example.com/x/../cb'],
  ['dot segment .', 'https://client.example.com/./cb'],
  ['prefix plus ..', 'https://client.example.com/cb/../../evil'],
  ['userinfo', 'https://user@client.example.com/cb'],
  ['userinfo with another host', 'https://client.example.com@evil.example/cb'],
  ['http instead of https', 'http://client.example.com/cb'],
  ['trailing dot in host', 'https://client.example.com./cb'],
  ['subdomain', 'https://evil.client.example.com/cb'],
  ['longer path', `${WEB_REDIRECT}x`],
  ['another client\'s redirect URI', OTHER_REDIRECT],
  ['leading space', ` ${WEB_REDIRECT}`],
  ['trailing space', `${WEB_REDIRECT} `],
  ['encoded NUL', `${WEB_REDIRECT}%00`],
  ['backslash', 'https://client.example.com\\cb'],
  ['protocol-relative', '//client.example.com/cb'],
  ['relative path', '/cb'],
  ['javascript: URI', 'javascript:alert(1)'],
  ['data: URI', 'data:text/html,<script>alert(1)</script>'],
];

const redirectCases: RequestCase[] = REDIRECT_VARIANTS.flatMap(([label, uri]): RequestCase[] => [
  // RFC 9700 4.1.3 (exact string matching) and RFC 6749 4.1.2.1 (never redirect to an unverified URI).
  authorizeCase(`redirect_uri ${label}: error page, no redirect`, 'RFC 9700 4.1.3; RFC 6749 4.1.2.1', (v) => authorizeParams(v, { redirect_uri: uri }), errorPage('invalid_request')),
  // The redirect URI is checked before any error that would otherwise be redirected (open redirector).
  authorizeCase(`redirect_uri ${label} with response_type=token: still no redirect`, 'RFC 6749 4.1.2.1; RFC 9700 4.11.1', (v) => authorizeParams(v, { redirect_uri: uri, response_type: 'token' }), errorPage('invalid_request')),
]);

const STATES: readonly [string, string][] = [
  ['plain', 'abc'],
  ['with spaces', 'a b c'],
  ['with plus', 'a+b'],
  ['with & and =', 'a&b=c'],
  ['percent sequence', '%20%2F'],
  ['non-ASCII', 'ünïcødé-状態'],
  ['markup', '<script>alert(1)</script>'],
  ['quotes', `a"b'c`],
  ['2048 characters', 's'.repeat(2048)],
  ['JSON', '{"return":"/x?y=1"}'],
];

const stateCases: RequestCase[] = STATES.map(([label, state]) =>
  // RFC 6749 4.1.2: "state ... REQUIRED if present in the request: the exact value received".
  authorizeCase(`state ${label} is returned untouched`, 'RFC 6749 4.1.2', (v) => authorizeParams(v, { state }), redirectCode(WEB_REDIRECT, state)),
);

const pkceCases: RequestCase[] = [
  // RFC 9700 2.1.1 / RFC 7636: public clients must use PKCE.
  ['public client without PKCE', {}, 'invalid_request', 'RFC 9700 2.1.1; RFC 7636 4.4.1'],
  ['code_challenge_method=plain', { code_challenge: VERIFIER, code_challenge_method: 'plain' }, 'invalid_request', 'RFC 9700 2.1.1 (plain not allowed); RFC 7636 4.3'],
  ['code_challenge without a method (means plain)', { code_challenge: CHALLENGE }, 'invalid_request', 'RFC 7636 4.3'],
  ['method s256 in lower case', { code_challenge: CHALLENGE, code_challenge_method: 's256' }, 'invalid_request', 'RFC 7636 4.3 (case-sensitive)'],
  ['unknown method', { code_challenge: CHALLENGE, code_challenge_method: 'S512' }, 'invalid_request', 'RFC 7636 4.4.1'],
  ['method without a challenge', { code_challenge_method: 'S256' }, 'invalid_request', 'RFC 7636 4.4.1'],
  ['challenge of 42 characters', { code_challenge: CHALLENGE.slice(0, 42), code_challenge_method: 'S256' }, 'invalid_request', 'RFC 7636 4.2 (S256 gives 43)'],
  ['challenge of 44 characters', { code_challenge: `${CHALLENGE}A`, code_challenge_method: 'S256' }, 'invalid_request', 'RFC 7636 4.2'],
  ['challenge of 128 characters', { code_challenge: 'A'.repeat(128), code_challenge_method: 'S256' }, 'invalid_request', 'RFC 7636 4.2'],
  ['challenge of 129 characters', { code_challenge: 'A'.repeat(129), code_challenge_method: 'S256' }, 'invalid_request', 'RFC 7636 4.1/4.2'],
  ['challenge with +', { code_challenge: `${CHALLENGE.slice(0, 42)}+`, code_challenge_method: 'S256' }, 'invalid_request', 'RFC 7636 4.2 (base64url)'],
  ['challenge with /', { code_challenge: `${CHALLENGE.slice(0, 42)}/`, code_challenge_method: 'S256' }, 'invalid_request', 'RFC 7636 4.2 (base64url)'],
  ['challenge with = padding', { code_challenge: `${CHALLENGE.slice(0, 42)}=`, code_challenge_method: 'S256' }, 'invalid_request', 'RFC 7636 4.2 (no padding)'],
  ['challenge with ~', { code_challenge: `${CHALLENGE.slice(0, 42)}~`, code_challenge_method: 'S256' }, 'invalid_request', 'RFC 7636 4.2'],
  ['challenge with a space', { code_challenge: `${CHALLENGE.slice(0, 21)} ${CHALLENGE.slice(22)}`, code_challenge_method: 'S256' }, 'invalid_request', 'RFC 7636 4.2'],
  ['challenge with non-ASCII', { code_challenge: `${CHALLENGE.slice(0, 42)}é`, code_challenge_method: 'S256' }, 'invalid_request', 'RFC 7636 4.2'],
].map(([label, over, error, source]) =>
  authorizeCase(
    `PKCE: ${label as string}`,
    source as string,
    (v) => authorizeParams(v, { client_id: v.clients.spa.id, redirect_uri: SPA_REDIRECT, ...(over as Record<string, string>) }),
    redirectError(error as string, SPA_REDIRECT),
  ),
);

export const AUTHORIZE_CASES: readonly RequestCase[] = [
  // RFC 6749 4.1.1 / 4.1.2: a valid request from a signed-in user who has consented gets a code.
  authorizeCase('valid request: 303 to the redirect URI with code, state and iss', 'RFC 6749 4.1.2; RFC 9207 2', (v) => authorizeParams(v), redirectCode()),
  authorizeCase('registered redirect URI with its own query: the query is kept', 'RFC 6749 3.1.2', (v) => authorizeParams(v, { redirect_uri: WEB_REDIRECT_WITH_QUERY }), redirectCode(WEB_REDIRECT_WITH_QUERY)),
  authorizeCase('public client with S256: code', 'RFC 7636 4.3', (v) => authorizeParams(v, { client_id: v.clients.spa.id, redirect_uri: SPA_REDIRECT, code_challenge: CHALLENGE, code_challenge_method: 'S256' }), redirectCode(SPA_REDIRECT)),
  authorizeCase('confidential client with S256: code', 'RFC 9700 2.1.1', (v) => authorizeParams(v, { code_challenge: CHALLENGE, code_challenge_method: 'S256' }), redirectCode()),
  authorizeCase('no state: none returned', 'RFC 6749 4.1.2', (v) => authorizeParams(v, { state: undefined }), redirectCode(WEB_REDIRECT, null)),
  // RFC 6749 4.1.2.1: errors about the client itself are shown, never redirected.
  authorizeCase('unknown client_id: error page', 'RFC 6749 4.1.2.1', (v) => authorizeParams(v, { client_id: 'no-such-client' }), errorPage('invalid_client')),
  authorizeCase('revoked client: error page', 'RFC 6749 4.1.2.1', (v) => authorizeParams(v, { client_id: v.clients.revoked.id }), errorPage('invalid_client')),
  authorizeCase('missing client_id: error page', 'RFC 6749 4.1.2.1', (v) => authorizeParams(v, { client_id: undefined }), errorPage('invalid_request')),
  authorizeCase('oversize client_id: error page', 'RFC 6749 4.1.2.1', (v) => authorizeParams(v, { client_id: 'c'.repeat(300) }), errorPage('invalid_client')),
  authorizeCase('client_id of a client with no redirect URI: error page', 'RFC 6749 3.1.2.2', (v) => authorizeParams(v, { client_id: v.clients.machine.id }), errorPage('invalid_request')),
  authorizeCase('missing redirect_uri: error page', 'RFC 6749 3.1.2.3; RFC 9700 4.1.3', (v) => authorizeParams(v, { redirect_uri: undefined }), errorPage('invalid_request')),
  authorizeCase('repeated client_id: error page', 'RFC 6749 3.1', (v) => `${new URLSearchParams(authorizeParams(v))}&client_id=${v.clients.web.id}`, errorPage('invalid_request')),
  authorizeCase('repeated redirect_uri (same value twice): error page', 'RFC 6749 3.1', (v) => `${new URLSearchParams(authorizeParams(v))}&redirect_uri=${encodeURIComponent(WEB_REDIRECT)}`, errorPage('invalid_request')),
  authorizeCase('signed-out browser: redirected to the login page, not the client', 'RFC 6749 3.1', (v) => authorizeParams(v), {
    status: 303,
    check: (a) => expect(new URL(a.header('location')!).pathname).toBe('/oauth/login'),
  }, () => ({})),
  authorizeCase('prompt=none while signed out: login_required to the client', 'OIDC Core 3.1.2.6', (v) => authorizeParams(v, { prompt: 'none' }), redirectError('login_required'), () => ({})),
  // RFC 6749 4.1.2.1: errors after the redirect URI is verified go back to the client.
  authorizeCase('missing response_type', 'RFC 6749 4.1.2.1', (v) => authorizeParams(v, { response_type: undefined }), redirectError('invalid_request')),
  authorizeCase('response_type=token (implicit)', 'RFC 9700 2.1.2; RFC 6749 4.1.2.1', (v) => authorizeParams(v, { response_type: 'token' }), redirectError('unsupported_response_type')),
  authorizeCase('response_type=code token', 'RFC 9700 2.1.2', (v) => authorizeParams(v, { response_type: 'code token' }), redirectError('unsupported_response_type')),
  authorizeCase('response_type=id_token', 'RFC 6749 3.1.1', (v) => authorizeParams(v, { response_type: 'id_token' }), redirectError('unsupported_response_type')),
  authorizeCase('response_type=CODE (values are case-sensitive)', 'RFC 6749 3.1.1', (v) => authorizeParams(v, { response_type: 'CODE' }), redirectError('unsupported_response_type')),
  authorizeCase('response_type with a trailing space', 'RFC 6749 3.1.1', (v) => authorizeParams(v, { response_type: 'code ' }), redirectError('unsupported_response_type')),
  authorizeCase('repeated response_type', 'RFC 6749 3.1', (v) => `${new URLSearchParams(authorizeParams(v))}&response_type=code`, redirectError('invalid_request')),
  authorizeCase('repeated scope', 'RFC 6749 3.1', (v) => `${new URLSearchParams(authorizeParams(v))}&scope=write`, redirectError('invalid_request')),
  authorizeCase('repeated state: not echoed', 'RFC 6749 3.1', (v) => `${new URLSearchParams(authorizeParams(v))}&state=st-123`, redirectError('invalid_request', WEB_REDIRECT, null)),
  authorizeCase('repeated code_challenge', 'RFC 6749 3.1', (v) => `${new URLSearchParams(authorizeParams(v, { code_challenge: CHALLENGE, code_challenge_method: 'S256' }))}&code_challenge=${CHALLENGE}`, redirectError('invalid_request')),
  authorizeCase('repeated code_challenge_method', 'RFC 6749 3.1', (v) => `${new URLSearchParams(authorizeParams(v, { code_challenge: CHALLENGE, code_challenge_method: 'S256' }))}&code_challenge_method=S256`, redirectError('invalid_request')),
  authorizeCase('repeated parameter with a hostile name: fixed description', 'RFC 6749 3.1; RFC 6749 4.1.2.1 (error_description charset)', (v) => `${new URLSearchParams(authorizeParams(v))}&x%0d%0a=1&x%0d%0a=2`, redirectError('invalid_request')),
  authorizeCase('state over 2048 characters: refused and not echoed', 'RFC 6749 4.1.2.1', (v) => authorizeParams(v, { state: 's'.repeat(2049) }), redirectError('invalid_request', WEB_REDIRECT, null)),
  authorizeCase('unknown response_mode', 'OAuth 2.0 Multiple Response Types 2.1', (v) => authorizeParams(v, { response_mode: 'fragment' }), redirectError('invalid_request')),
  authorizeCase('scope outside the client\'s scopes', 'RFC 6749 4.1.2.1 (invalid_scope)', (v) => authorizeParams(v, { scope: 'read admin' }), redirectError('invalid_scope')),
  authorizeCase('malformed scope (quote)', 'RFC 6749 3.3', (v) => authorizeParams(v, { scope: 'read "write"' }), redirectError('invalid_scope')),
  authorizeCase('response_mode=form_post: auto-submitting form, state escaped', 'OAuth 2.0 Form Post Response Mode 2', (v) => authorizeParams(v, { response_mode: 'form_post', state: '<b>"x"</b>' }), {
    status: 200,
    headers: { 'content-type': /^text\/html/, 'cache-control': 'no-store', location: null },
    check(a: Answer) {
      expect(a.body).toContain(`action="${WEB_REDIRECT}"`);
      expect(a.body).toContain('value="&lt;b&gt;&quot;x&quot;&lt;/b&gt;"');
      expect(a.body).not.toContain('<b>"x"</b>');
      expect(a.header('content-security-policy')).toContain('form-action https://client.example.com');
    },
  }),
  authorizeCase('POST with a form body works like GET', 'RFC 6749 3.1', (v) => authorizeParams(v), redirectCode(), undefined),
  ...pkceCases,
  ...stateCases,
  ...redirectCases,
].map((c) =>
  c.name === 'POST with a form body works like GET'
    ? {
        ...c,
        request: (v: ConformanceValues) => ({
          method: 'POST',
          path: AUTHORIZE,
          headers: { cookie: v.cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(authorizeParams(v)).toString(),
        }),
      }
    : c,
);
