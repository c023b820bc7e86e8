import { type AuthMethod, errorResponse, type Principal } from '@auth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdapterFixture, createAdapterFixture, FIXTURE_ROUTES, type FixturePath, type FixtureValues } from './adapter-fixture.js';

/** One request through an adapter, and what must come back. */
export interface AdapterCase {
  name: string;
  method: 'GET' | 'POST' | 'DELETE';
  path: FixturePath;
  headers(values: FixtureValues): Record<string, string>;
  /** Expected status (the core reference must agree, or the table is wrong). */
  status: number;
  /** On success: how the principal was authenticated. */
  principalMethod?: AuthMethod;
  /** On failure: the `error` code in the JSON body. */
  error?: string;
}

/** The JSON a fixture route answers with: identical in every adapter. */
export function principalBody(principal: Principal) {
  return {
    method: principal.method,
    userId: principal.userId,
    businessId: principal.businessId,
    clientId: principal.clientId,
    scopes: [...principal.scopes],
  };
}

const triple = (v: FixtureValues, over: Partial<Record<'key' | 'business' | 'user', string>> = {}) => ({
  'x-api-key': over.key ?? v.apiKey,
  'x-business-id': over.business ?? v.businessId,
  'x-user-id': over.user ?? v.userId,
});

/** The shared table: every adapter must give the same status, challenge and body as the core. */
export const ADAPTER_CASES: readonly AdapterCase[] = [
  // Public routes opt out explicitly.
  { name: 'public route without credentials', method: 'GET', path: '/public', headers: () => ({}), status: 200 },
  // RFC 6750 3.1: no credentials -> 401 with a bare challenge.
  { name: 'no credentials', method: 'GET', path: '/me', headers: () => ({}), status: 401, error: 'invalid_token' },
  // Seed 000: all three headers.
  { name: 'API key triple headers', method: 'GET', path: '/me', headers: (v) => triple(v), status: 200, principalMethod: 'api_key' },
  { name: 'API key, header names in another case', method: 'GET', path: '/me', headers: (v) => ({ 'X-Api-Key': v.apiKey, 'X-Business-Id': v.businessId, 'X-User-Id': v.userId }), status: 200, principalMethod: 'api_key' },
  { name: 'API key for another business', method: 'GET', path: '/me', headers: (v) => triple(v, { business: v.otherBusinessId }), status: 401, error: 'invalid_token' },
  { name: 'API key for another user', method: 'GET', path: '/me', headers: (v) => triple(v, { user: v.otherUserId }), status: 401, error: 'invalid_token' },
  { name: 'API key without X-BUSINESS-ID', method: 'GET', path: '/me', headers: (v) => ({ 'x-api-key': v.apiKey, 'x-user-id': v.userId }), status: 401, error: 'invalid_token' },
  { name: 'API key alone (legacy mode off)', method: 'GET', path: '/me', headers: (v) => ({ 'x-api-key': v.apiKey }), status: 401, error: 'invalid_token' },
  { name: 'unknown but well-formed API key', method: 'GET', path: '/me', headers: (v) => triple(v, { key: `${v.apiKey.slice(0, 3)}${'A'.repeat(v.apiKey.length - 3)}` }), status: 401, error: 'invalid_token' },
  { name: 'junk API key', method: 'GET', path: '/me', headers: (v) => triple(v, { key: 'not-a-key' }), status: 401, error: 'invalid_token' },
  // Node joins duplicated headers with ", ".
  { name: 'duplicated X-API-KEY', method: 'GET', path: '/me', headers: (v) => triple(v, { key: `${v.apiKey}, ${v.apiKey}` }), status: 400, error: 'invalid_request' },
  // Seeds 003/004: personal and direct access tokens.
  { name: 'Bearer personal token', method: 'GET', path: '/me', headers: (v) => ({ authorization: `Bearer ${v.pat}` }), status: 200, principalMethod: 'personal_token' },
  { name: 'scheme is case-insensitive', method: 'GET', path: '/me', headers: (v) => ({ authorization: `bEARER ${v.pat}` }), status: 200, principalMethod: 'personal_token' },
  { name: 'Bearer without a token', method: 'GET', path: '/me', headers: () => ({ authorization: 'Bearer' }), status: 400, error: 'invalid_request' },
  // RFC 6750 2.1: `"Bearer" 1*SP b64token`, so several spaces are valid.
  { name: 'Bearer with two spaces', method: 'GET', path: '/me', headers: (v) => ({ authorization: `Bearer  ${v.pat}` }), status: 200, principalMethod: 'personal_token' },
  { name: 'unknown Bearer token', method: 'GET', path: '/me', headers: (v) => ({ authorization: `Bearer ${v.pat.slice(0, -8)}AAAAAAAA` }), status: 401, error: 'invalid_token' },
  { name: 'revoked personal token', method: 'GET', path: '/me', headers: (v) => ({ authorization: `Bearer ${v.revokedPat}` }), status: 401, error: 'invalid_token' },
  { name: 'oversize Bearer value', method: 'GET', path: '/me', headers: () => ({ authorization: `Bearer ${'a'.repeat(5000)}` }), status: 400, error: 'invalid_request' },
  { name: 'unsupported scheme (Basic)', method: 'GET', path: '/me', headers: () => ({ authorization: 'Basic dXNlcjpwYXNz' }), status: 401, error: 'invalid_token' },
  // OAuth access tokens from the authorization server.
  { name: 'Bearer OAuth access token', method: 'GET', path: '/me', headers: (v) => ({ authorization: `Bearer ${v.accessToken}` }), status: 200, principalMethod: 'access_token' },
  // Seed 003: Secret only where allowed.
  { name: 'Secret on a route that allows it', method: 'GET', path: '/secret-only', headers: (v) => ({ authorization: `Secret ${v.secret}` }), status: 200, principalMethod: 'secret' },
  { name: 'Secret on a route that does not allow it', method: 'GET', path: '/me', headers: (v) => ({ authorization: `Secret ${v.secret}` }), status: 401, error: 'invalid_token' },
  { name: 'personal token on a Secret-only route', method: 'GET', path: '/secret-only', headers: (v) => ({ authorization: `Bearer ${v.pat}` }), status: 401, error: 'invalid_token' },
  // Two credentials in one request.
  { name: 'Bearer and API key together', method: 'GET', path: '/me', headers: (v) => ({ ...triple(v), authorization: `Bearer ${v.pat}` }), status: 400, error: 'invalid_request' },
  // Scopes per route.
  { name: 'read-only token on a write route', method: 'POST', path: '/items', headers: (v) => ({ authorization: `Bearer ${v.readOnlyPat}` }), status: 403, error: 'insufficient_scope' },
  { name: 'read-write token on a write route', method: 'POST', path: '/items', headers: (v) => ({ authorization: `Bearer ${v.pat}` }), status: 200, principalMethod: 'personal_token' },
  { name: 'API key on a write route', method: 'POST', path: '/items', headers: (v) => triple(v), status: 200, principalMethod: 'api_key' },
  // Seed 003: sealed session cookies, CSRF on unsafe methods.
  { name: 'session cookie on a safe method', method: 'GET', path: '/me', headers: (v) => ({ cookie: v.cookie }), status: 200, principalMethod: 'cookie' },
  { name: 'session cookie, unsafe method, no CSRF token', method: 'POST', path: '/items', headers: (v) => ({ cookie: v.cookie }), status: 403, error: 'invalid_request' },
  { name: 'session cookie, unsafe method, CSRF header', method: 'POST', path: '/items', headers: (v) => ({ cookie: v.cookie, 'x-csrf-token': v.csrfToken }), status: 200, principalMethod: 'cookie' },
  { name: 'session cookie, unsafe method, wrong CSRF token', method: 'POST', path: '/items', headers: (v) => ({ cookie: v.cookie, 'x-csrf-token': `${v.csrfToken}x` }), status: 403, error: 'invalid_request' },
  { name: 'tampered session cookie', method: 'GET', path: '/me', headers: (v) => ({ cookie: `${v.cookie.slice(0, -3)}abc` }), status: 401, error: 'invalid_token' },
  { name: 'truncated session cookie', method: 'GET', path: '/me', headers: (v) => ({ cookie: v.cookie.slice(0, -10) }), status: 401, error: 'invalid_token' },
];

/** What an adapter harness returns for one request. Header names lowercase. */
export interface HarnessResponse {
  status: number;
  headers: Record<string, string | undefined>;
  body: unknown;
}

/** Drives one adapter's test app (built from {@link FIXTURE_ROUTES}) with plain requests. */
export interface AdapterHarness {
  request(input: { method: string; path: string; headers: Record<string, string> }): Promise<HarnessResponse>;
  close(): Promise<void>;
}

/** What the core answers for a case: the reference every adapter must match. */
export async function coreReference(fixture: AdapterFixture, c: AdapterCase): Promise<HarnessResponse> {
  const route = FIXTURE_ROUTES[c.path] as { public?: boolean; scopes?: readonly string[]; allow?: readonly AuthMethod[] };
  if (route.public) return { status: 200, headers: {}, body: { ok: true } };
  const headers = Object.fromEntries(Object.entries(c.headers(fixture.values)).map(([k, v]) => [k.toLowerCase(), v]));
  try {
    const principal = await fixture.auth.verify((name) => headers[name], {
      httpMethod: c.method,
      scopes: route.scopes,
      allow: route.allow,
    });
    return { status: 200, headers: {}, body: principalBody(principal) };
  } catch (err) {
    const parts = errorResponse(err);
    return { status: parts.status, headers: parts.headers, body: parts.body };
  }
}

/**
 * Run {@link ADAPTER_CASES} through one adapter: each case must give the status in the table, and the
 * same status, `WWW-Authenticate` and JSON body as the core called directly.
 */
export function describeAdapterCases(name: string, makeHarness: (fixture: AdapterFixture) => Promise<AdapterHarness>): void {
  describe(`${name}: shared adapter cases`, () => {
    let fixture: AdapterFixture;
    let harness: AdapterHarness;
    beforeAll(async () => {
      fixture = await createAdapterFixture();
      harness = await makeHarness(fixture);
    });
    afterAll(async () => {
      await harness?.close();
      await fixture?.close();
    });
    for (const c of ADAPTER_CASES) {
      it(c.name, async () => {
        const expected = await coreReference(fixture, c);
        expect(expected.status, 'core reference disagrees with the table').toBe(c.status);
        const actual = await harness.request({ method: c.method, path: c.path, headers: c.headers(fixture.values) });
        expect(actual.status).toBe(c.status);
        expect(actual.body).toEqual(expected.body);
        expect(actual.headers['www-authenticate']).toBe(expected.headers['www-authenticate']);
        if (c.principalMethod) expect((actual.body as { method: string }).method).toBe(c.principalMethod);
        if (c.error) expect((actual.body as { error: string }).error).toBe(c.error);
      });
    }
  });
}
