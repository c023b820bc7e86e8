/**
 * Resource side: the shared adapter table (`ADAPTER_CASES`) plus oversize values, non-ASCII and control
 * characters, extra spaces, query-string tokens, mixed schemes (RFC 6750, RFC 9110, seeds 000-004).
 *
 * @module
 */
import type { AuthMethod } from '@auth/core';
import { expect } from 'vitest';
import { ADAPTER_CASES } from '../../adapter-cases.js';
import { expectNoControlChars } from '../expect-answer.js';
import type { ConformanceValues } from '../fixture.js';
import type { Category, Expectation, RequestCase, ScenarioCase } from '../types.js';
import { callApi, codeTokens, later } from './helpers.js';

/** Where each case of the shared adapter table comes from. */
const ADAPTER_CASE_SOURCES: Record<string, string> = {
  'public route without credentials': 'RFC 6750 3 (only protected resources challenge)',
  'no credentials': 'RFC 6750 3.1 (no error code when no credentials were sent)',
  'API key triple headers': 'seed 000 (X-API-KEY + X-BUSINESS-ID + X-USER-ID)',
  'API key, header names in another case': 'RFC 9110 5.1 (field names are case-insensitive)',
  'API key for another business': 'seed 000; OWASP API1:2023 (BOLA)',
  'API key for another user': 'seed 000; OWASP API1:2023 (BOLA)',
  'API key without X-BUSINESS-ID': 'seed 000 (all three headers required)',
  'API key alone (legacy mode off)': 'seed 000 / seed 002 (legacy off by default)',
  'unknown but well-formed API key': 'RFC 6750 3.1 invalid_token',
  'junk API key': 'RFC 6750 3.1 invalid_token; token format checksum',
  'duplicated X-API-KEY': 'RFC 9110 5.3 (Node joins repeated fields with ", ")',
  'Bearer personal token': 'seed 003/004; RFC 6750 2.1',
  'scheme is case-insensitive': 'RFC 9110 11.1 (auth-scheme is case-insensitive)',
  'Bearer without a token': 'RFC 6750 3.1 invalid_request',
  'Bearer with two spaces': 'RFC 6750 2.1 (1*SP)',
  'unknown Bearer token': 'RFC 6750 3.1 invalid_token',
  'revoked personal token': 'RFC 6750 3.1 invalid_token',
  'oversize Bearer value': 'RFC 6750 3.1 invalid_request; CWE-400',
  'unsupported scheme (Basic)': 'RFC 9110 11.6.1 (challenge for the accepted scheme)',
  'Bearer OAuth access token': 'RFC 6750 2.1',
  'Secret on a route that allows it': 'seed 003 (Authorization: Secret on a few endpoints)',
  'Secret on a route that does not allow it': 'seed 003',
  'personal token on a Secret-only route': 'seed 003',
  'Bearer and API key together': 'RFC 6750 3.1 (more than one method: invalid_request)',
  'read-only token on a write route': 'RFC 6750 3.1 insufficient_scope (403)',
  'read-write token on a write route': 'RFC 6750 3.1',
  'API key on a write route': 'seed 000',
  'session cookie on a safe method': 'seed 003 (sealed session cookie); RFC 9110 9.2.1',
  'session cookie, unsafe method, no CSRF token': 'OWASP CSRF Prevention Cheat Sheet (synchronizer token)',
  'session cookie, unsafe method, CSRF header': 'OWASP CSRF Prevention Cheat Sheet',
  'session cookie, unsafe method, wrong CSRF token': 'OWASP CSRF Prevention Cheat Sheet',
  'tampered session cookie': 'RFC 6265 8.6 (integrity); AES-GCM authentication',
  'truncated session cookie': 'RFC 6265 8.6',
};

function expectation(status: number, error?: string, principalMethod?: AuthMethod, extra?: Expectation['check']): Expectation {
  return {
    status,
    error,
    check(a, v) {
      if (principalMethod) expect(a.json?.method).toBe(principalMethod);
      if (status === 401) expect(a.header('www-authenticate')).toMatch(/^(Bearer|ApiKey|Secret|Cookie)( realm="fixture")?/);
      if (status >= 400) {
        expect(a.header('cache-control')).toBe('no-store');
        expectNoControlChars(a);
      }
      extra?.(a, v);
    },
  };
}

/** One request to a fixture route. */
export function resourceCase(
  category: Category,
  name: string,
  source: string,
  method: string,
  path: string,
  headers: (v: ConformanceValues) => Record<string, string | readonly string[]>,
  status: number,
  error?: string,
  principalMethod?: AuthMethod,
  extra?: Expectation['check'],
): RequestCase {
  return {
    kind: 'request',
    category,
    name,
    source,
    target: 'resource',
    request: (v) => ({ method, path, headers: headers(v) }),
    expect: expectation(status, error, principalMethod, extra),
  };
}

const fromTable: RequestCase[] = ADAPTER_CASES.map((c) =>
  resourceCase(
    c.name.includes('cookie') ? 'cookies' : 'resource',
    c.name,
    ADAPTER_CASE_SOURCES[c.name] ?? 'shared adapter table',
    c.method,
    c.path,
    c.headers,
    c.status,
    c.error,
    c.principalMethod,
  ),
);

const triple = (v: ConformanceValues, over: Partial<Record<'x-api-key' | 'x-business-id' | 'x-user-id', string>> = {}) => ({
  'x-api-key': v.apiKey,
  'x-business-id': v.businessId,
  'x-user-id': v.userId,
  ...over,
});
const r = (name: string, source: string, headers: (v: ConformanceValues) => Record<string, string | readonly string[]>, status: number, error?: string, method?: AuthMethod, path = '/me') =>
  resourceCase('resource', name, source, 'GET', path, headers, status, error, method);

const added: (RequestCase | ScenarioCase)[] = [
  // Oversize values: refused before any lookup (CWE-400), with a 400 (RFC 6750 3.1 invalid_request).
  r('X-API-KEY of 257 characters', 'RFC 6750 3.1 invalid_request; CWE-400', (v) => triple(v, { 'x-api-key': 'k'.repeat(257) }), 400, 'invalid_request'),
  r('X-BUSINESS-ID of 257 characters', 'CWE-400', (v) => triple(v, { 'x-business-id': 'b'.repeat(257) }), 400, 'invalid_request'),
  r('X-USER-ID of 257 characters', 'CWE-400', (v) => triple(v, { 'x-user-id': 'u'.repeat(257) }), 400, 'invalid_request'),
  r('Authorization of 4097 characters', 'CWE-400', () => ({ authorization: `Bearer ${'a'.repeat(4090)}` }), 400, 'invalid_request'),
  r('Authorization of exactly 4096 characters: judged, not refused as oversize', 'RFC 6750 2.1', () => ({ authorization: `Bearer ${'a'.repeat(4089)}` }), 401, 'invalid_token'),
  r('Secret of 4097 characters', 'CWE-400', () => ({ authorization: `Secret ${'s'.repeat(4090)}` }), 400, 'invalid_request', undefined, '/secret-only'),
  r('CSRF header of 600 characters on a safe method', 'CWE-400', (v) => ({ cookie: v.cookie, 'x-csrf-token': 'c'.repeat(600) }), 400, 'invalid_request'),
  // Non-ASCII (Latin-1 is what HTTP/1.1 stacks pass through) and control characters (only HTAB survives the wire).
  r('Bearer token with a Latin-1 character', 'RFC 6750 2.1 (b64token is ASCII); RFC 9110 5.5', (v) => ({ authorization: `Bearer ${v.pat}é` }), 400, 'invalid_request'),
  r('X-API-KEY with a Latin-1 character', 'RFC 9110 5.5', (v) => triple(v, { 'x-api-key': `${v.apiKey}ü` }), 400, 'invalid_request'),
  r('X-BUSINESS-ID with a Latin-1 character', 'RFC 9110 5.5', (v) => triple(v, { 'x-business-id': 'bé' }), 400, 'invalid_request'),
  r('X-USER-ID with a Latin-1 character', 'RFC 9110 5.5', (v) => triple(v, { 'x-user-id': 'ü_1' }), 400, 'invalid_request'),
  r('scheme with a Latin-1 character', 'RFC 9110 11.1 (token)', (v) => ({ authorization: `Béarer ${v.pat}` }), 400, 'invalid_request'),
  r('tab between scheme and token', 'RFC 6750 2.1 (1*SP, not HTAB)', (v) => ({ authorization: `Bearer\t${v.pat}` }), 400, 'invalid_request'),
  r('tab inside the token', 'RFC 6750 2.1 (b64token)', (v) => ({ authorization: `Bearer ${v.pat.slice(0, 10)}\t${v.pat.slice(10)}` }), 400, 'invalid_request'),
  r('tab inside X-API-KEY', 'RFC 9110 5.5', (v) => triple(v, { 'x-api-key': `${v.apiKey.slice(0, 5)}\t${v.apiKey.slice(5)}` }), 400, 'invalid_request'),
  r('tabs around the Authorization value are optional whitespace', 'RFC 9110 5.6.3 (OWS)', (v) => ({ authorization: `\tBearer ${v.pat}\t` }), 200, undefined, 'personal_token'),
  // Spaces.
  r('leading and trailing spaces around Authorization', 'RFC 9110 5.5 (OWS trimmed)', (v) => ({ authorization: `  Bearer ${v.pat}  ` }), 200, undefined, 'personal_token'),
  r('three spaces after the scheme', 'RFC 6750 2.1 (1*SP)', (v) => ({ authorization: `Bearer   ${v.pat}` }), 200, undefined, 'personal_token'),
  r('space inside the token', 'RFC 6750 2.1 (b64token)', (v) => ({ authorization: `Bearer ${v.pat.slice(0, 10)} ${v.pat.slice(10)}` }), 400, 'invalid_request'),
  r('space inside X-API-KEY', 'seed 000', (v) => triple(v, { 'x-api-key': `${v.apiKey.slice(0, 5)} ${v.apiKey.slice(5)}` }), 400, 'invalid_request'),
  r('spaces around X-API-KEY are trimmed', 'RFC 9110 5.5', (v) => triple(v, { 'x-api-key': ` ${v.apiKey} ` }), 200, undefined, 'api_key'),
  r('only spaces in Authorization', 'RFC 6750 3.1', () => ({ authorization: '   ' }), 400, 'invalid_request'),
  r('empty X-API-KEY', 'RFC 6750 3.1 invalid_request', () => ({ 'x-api-key': '' }), 400, 'invalid_request'),
  r('empty X-BUSINESS-ID', 'seed 000', (v) => triple(v, { 'x-business-id': '' }), 401, 'invalid_token'),
  // Scheme case and schemes.
  r('BEARER in upper case', 'RFC 9110 11.1', (v) => ({ authorization: `BEARER ${v.pat}` }), 200, undefined, 'personal_token'),
  r('secret scheme in lower case on a Secret route', 'RFC 9110 11.1', (v) => ({ authorization: `secret ${v.secret}` }), 200, undefined, 'secret', '/secret-only'),
  r('SECRET in upper case on a Secret route', 'RFC 9110 11.1', (v) => ({ authorization: `SECRET ${v.secret}` }), 200, undefined, 'secret', '/secret-only'),
  r('scheme only, with a trailing space', 'RFC 6750 3.1', () => ({ authorization: 'Bearer ' }), 400, 'invalid_request'),
  r('token without a scheme', 'RFC 9110 11.4', (v) => ({ authorization: v.pat }), 400, 'invalid_request'),
  r('unknown scheme Token', 'RFC 9110 11.6.1', (v) => ({ authorization: `Token ${v.pat}` }), 401, 'invalid_token'),
  r('Digest scheme', 'RFC 9110 11.6.1', () => ({ authorization: 'Digest username="a"' }), 400, 'invalid_request'),
  r('unsigned JWT (alg none, empty signature)', 'RFC 9068 4; RFC 8725 3.1 (reject alg none)', () => ({ authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' }), 401, 'invalid_token'),
  r('JWT-shaped Bearer value with a fake signature', 'RFC 9068 4 (validate the signature)', () => ({ authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1XzEifQ.c2lnbmF0dXJl' }), 401, 'invalid_token'),
  // Two credentials, two headers.
  r('two Authorization headers', 'RFC 9110 5.3 (a repeated singleton field is an error); RFC 6750 3.1', (v) => ({ authorization: [`Bearer ${v.pat}`, `Bearer ${v.readOnlyPat}`] }), 400, 'invalid_request'),
  r('two Authorization headers, second one junk', 'RFC 9110 5.3', (v) => ({ authorization: [`Bearer ${v.pat}`, 'Bearer junk'] }), 400, 'invalid_request'),
  r('Authorization values joined by a comma', 'RFC 9110 5.3', (v) => ({ authorization: `Bearer ${v.pat}, Bearer ${v.pat}` }), 400, 'invalid_request'),
  r('two X-API-KEY header lines', 'RFC 9110 5.3', (v) => triple(v, { 'x-api-key': [v.apiKey, v.apiKey] as never }), 400, 'invalid_request'),
  r('two X-BUSINESS-ID header lines', 'RFC 9110 5.3', (v) => ({ ...triple(v), 'x-business-id': [v.businessId, v.otherBusinessId] }), 400, 'invalid_request'),
  r('Secret and API key together on a Secret route', 'RFC 6750 3.1', (v) => ({ ...triple(v), authorization: `Secret ${v.secret}` }), 400, 'invalid_request', undefined, '/secret-only'),
  r('Bearer and a session cookie: the explicit credential wins', 'seed 003 (explicit credential over ambient cookie)', (v) => ({ authorization: `Bearer ${v.pat}`, cookie: v.cookie }), 200, undefined, 'personal_token'),
  r('API key and a session cookie: the explicit credential wins', 'seed 003', (v) => ({ ...triple(v), cookie: v.cookie }), 200, undefined, 'api_key'),
  // Credentials in the wrong place.
  r('access token in the query string (not enabled)', 'RFC 6750 2.3 (SHOULD NOT); RFC 9700 2.4', () => ({}), 401, 'invalid_token', undefined, '/me?access_token=PLACEHOLDER'),
  r('API key in the query string (not enabled)', 'seed 002 (query key is opt-in); RFC 9700 4.3.2', () => ({}), 401, 'invalid_token', undefined, '/me?api_key=PLACEHOLDER'),
  r('valid header plus a junk access_token in the query', 'RFC 6750 2.3', (v) => ({ authorization: `Bearer ${v.pat}` }), 200, undefined, 'personal_token', '/me?access_token=junk'),
  r('personal token in X-API-KEY', 'seed 000 (kind prefix)', (v) => triple(v, { 'x-api-key': v.pat }), 401, 'invalid_token'),
  r('API key as a Bearer token', 'seed 000/003 (kind prefix)', (v) => ({ authorization: `Bearer ${v.apiKey}` }), 401, 'invalid_token'),
  r('Secret as a Bearer token', 'seed 003 (kind prefix)', (v) => ({ authorization: `Bearer ${v.secret}` }), 401, 'invalid_token'),
  r('personal token with the Secret scheme on a Secret route', 'seed 003', (v) => ({ authorization: `Secret ${v.pat}` }), 401, 'invalid_token', undefined, '/secret-only'),
  r('OAuth access token in X-API-KEY', 'seed 000', (v) => triple(v, { 'x-api-key': v.accessToken }), 401, 'invalid_token'),
  r('API key with the other business and the other user', 'seed 000; OWASP API1:2023', (v) => triple(v, { 'x-business-id': v.otherBusinessId, 'x-user-id': v.otherUserId }), 401, 'invalid_token'),
  r('API key with business and user swapped', 'seed 000', (v) => triple(v, { 'x-business-id': v.userId, 'x-user-id': v.businessId }), 401, 'invalid_token'),
  r('API key with a mutated checksum', 'token format checksum (CRC32)', (v) => triple(v, { 'x-api-key': `${v.apiKey.slice(0, -1)}${v.apiKey.endsWith('A') ? 'B' : 'A'}` }), 401, 'invalid_token'),
  resourceCase('resource', 'access token with write scope on a write route', 'RFC 6750 3.1', 'POST', '/items', (v) => ({ authorization: `Bearer ${v.accessToken}` }), 200, undefined, 'access_token'),
  resourceCase('resource', 'insufficient scope names the scope needed', 'RFC 6750 3.1 (scope attribute)', 'POST', '/items', (v) => ({ authorization: `Bearer ${v.readOnlyPat}` }), 403, 'insufficient_scope', undefined, (a) => {
    expect(a.header('www-authenticate')).toContain('scope="write"');
    expect(a.json?.scope).toBe('write');
  }),
  {
    kind: 'scenario',
    category: 'resource',
    name: 'expired OAuth access token',
    source: 'RFC 6750 3.1 invalid_token',
    async run(t) {
      const body = await codeTokens(t, 'web');
      expect((await callApi(t, body.access_token)).status).toBe(200);
      await later(t, 2 * 3600_000, async () => {
        const res = await callApi(t, body.access_token);
        expect(res.status).toBe(401);
        expect(res.json?.error).toBe('invalid_token');
      });
    },
  },
  {
    kind: 'scenario',
    category: 'resource',
    name: 'revoked API key stops working at once',
    source: 'seed 000 (revocation); RFC 6750 3.1',
    async run(t) {
      const key = await t.fixture.auth.apiKeys.create({ name: 'short-lived', userId: t.values.userId, businessId: t.values.businessId, scopes: ['read'] });
      t.fixture.secrets.add(key.secret);
      const headers = { 'x-api-key': key.secret, 'x-business-id': t.values.businessId, 'x-user-id': t.values.userId };
      expect((await t.send('resource', { method: 'GET', path: '/me', headers })).status).toBe(200);
      await t.fixture.auth.apiKeys.revoke(key.credential.id);
      expect((await t.send('resource', { method: 'GET', path: '/me', headers })).status).toBe(401);
    },
  },
];

/** The query-string cases carry a real token: filled in when the request is built. */
function withQueryToken(c: RequestCase | ScenarioCase): RequestCase | ScenarioCase {
  if (c.kind !== 'request' || !c.name.includes('query string (not enabled)')) return c;
  const build = c.request;
  return {
    ...c,
    request: (v) => {
      const req = build(v);
      const token = c.name.startsWith('API key') ? v.apiKey : v.pat;
      const headers: Record<string, string> = c.name.startsWith('API key') ? { 'x-business-id': v.businessId, 'x-user-id': v.userId } : {};
      return { ...req, headers, path: req.path.replace('PLACEHOLDER', token) };
    },
  };
}

export const RESOURCE_CASES: readonly (RequestCase | ScenarioCase)[] = [...fromTable, ...added.map(withQueryToken)];
