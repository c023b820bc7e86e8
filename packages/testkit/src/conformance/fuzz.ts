/**
 * Property-based attacks (fast-check). The property is always the same: a 4xx with a standard body (or a
 * legitimate success), never a 5xx, a throw or a hang (each input has a time limit).
 *
 * Run counts come from `FUZZ_RUNS` (total inputs across the whole suite; default sized for CI, e.g.
 * `FUZZ_RUNS=200000` locally), shared out by {@link fuzzRuns}.
 *
 * @module
 */
import { errorResponse, generateSecret, isAuthError, parseSecret } from '@auth/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_ROUTES } from '../adapter-fixture.js';
import { coreHarness } from './core-harness.js';
import { type ConformanceFixture, createConformanceFixture, PASSWORD_USER, WEB_REDIRECT } from './fixture.js';
import type { Answer, ConformanceHarness, ConformanceHarnessFactory, WireRequest } from './types.js';
import { basic, comparable, toAnswer } from './wire.js';

/** Default total inputs per CI run, across the core and every adapter. */
export const DEFAULT_FUZZ_RUNS = 24_000;
/** Longest one input may take before the property fails as a hang. */
const PER_INPUT_TIMEOUT_MS = 2_000;

/** This property's share of the total `FUZZ_RUNS` budget. */
export function fuzzRuns(share: number): number {
  const total = Number(process.env.FUZZ_RUNS ?? DEFAULT_FUZZ_RUNS);
  return Math.max(20, Math.round((Number.isFinite(total) && total > 0 ? total : DEFAULT_FUZZ_RUNS) * share));
}

/** Options of {@link describeFuzz}. */
export interface FuzzOptions {
  /** Fixed seed, to replay a failure fast-check reported. */
  seed?: number;
}

const OAUTH_ERRORS = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'not_found',
]);
const RESOURCE_ERRORS = new Set(['invalid_request', 'invalid_token', 'insufficient_scope']);
// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point.
const CONTROL_RE = /[\u0000-\u001f\u007f]/;

/** Characters a Node HTTP/1.1 client may put in a header value: HTAB, printable ASCII, Latin-1. */
const wireChar = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
  { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }) },
  { weight: 1, arbitrary: fc.constant(0x09) },
).map((c) => String.fromCharCode(c));
const wireString = (maxLength = 120) => fc.string({ unit: wireChar, maxLength });

/** Any JS string (lone surrogates, controls, emoji): for calling the core directly. */
const anyString = (maxLength = 120) => fc.oneof(fc.string({ unit: 'binary', maxLength }), fc.string({ maxLength }), wireString(maxLength));

/** A header value built around the fixture's real credentials, or junk. */
function headerValue(f: ConformanceFixture, str: (n?: number) => fc.Arbitrary<string>) {
  const v = f.values;
  const real = [v.pat, v.readOnlyPat, v.revokedPat, v.secret, v.accessToken, v.apiKey];
  return fc.oneof(
    str(),
    fc.tuple(fc.constantFrom('Bearer', 'bearer', 'Secret', 'Basic', 'ApiKey', 'Bearer  ', ''), str(60)).map(([s, t]) => `${s} ${t}`),
    fc.tuple(fc.constantFrom(...real), fc.nat(60), str(3)).map(([r, i, ins]) => `Bearer ${r.slice(0, i)}${ins}${r.slice(i)}`),
    fc.tuple(fc.constantFrom(...real), str(8)).map(([r, s]) => `${s}${r}`),
  );
}

function resourceRequest(f: ConformanceFixture, str: (n?: number) => fc.Arbitrary<string>) {
  const value = headerValue(f, str);
  const cookie = fc.oneof(str(200), fc.tuple(fc.nat(400), str(4)).map(([i, s]) => {
    const c = f.values.cookie;
    return `${c.slice(0, i % c.length)}${s}${c.slice(i % c.length)}`;
  }));
  return fc.record(
    {
      path: fc.constantFrom(...(Object.keys(FIXTURE_ROUTES) as string[])),
      method: fc.constantFrom('GET', 'POST'),
      authorization: value,
      'x-api-key': fc.oneof(str(), fc.constant(f.values.apiKey)),
      'x-business-id': fc.oneof(str(20), fc.constant(f.values.businessId)),
      'x-user-id': fc.oneof(str(20), fc.constant(f.values.userId)),
      cookie,
      'x-csrf-token': fc.oneof(str(60), fc.constant(f.values.csrfToken)),
      query: fc.oneof(fc.constant(''), str(40).map((s) => `?${encodeURIComponent('access_token')}=${encodeURIComponent(s)}`)),
    },
    { requiredKeys: ['path', 'method', 'query'] },
  ).map(({ path, method, query, ...headers }): WireRequest => {
    const h: Record<string, string> = {};
    for (const [k, val] of Object.entries(headers)) if (val !== undefined) h[k] = val;
    // `/items` is the POST route and the rest GET: keep requests on routes that exist everywhere.
    return { method: path === '/items' ? 'POST' : method === 'POST' && path !== '/items' ? 'GET' : method, path: `${path}${query}`, headers: h };
  });
}

const PARAM_NAMES = ['grant_type', 'client_id', 'client_secret', 'code', 'redirect_uri', 'code_verifier', 'refresh_token', 'scope', 'username', 'password', 'token', 'token_type_hint'];

function formRequest(f: ConformanceFixture, str: (n?: number) => fc.Arbitrary<string>) {
  const v = f.values;
  const value = fc.oneof(
    str(40),
    fc.constantFrom('client_credentials', 'authorization_code', 'refresh_token', 'password', 'read', 'read write', WEB_REDIRECT, PASSWORD_USER.username, v.clients.machine.id, v.clients.web.id, v.clients.spa.id, v.pat, v.accessToken, ''),
  );
  const pairs = fc.array(fc.tuple(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PARAM_NAMES) }, { weight: 1, arbitrary: str(12) }), value), { maxLength: 8 });
  const body = fc.oneof(
    { weight: 4, arbitrary: pairs.map((p) => new URLSearchParams(p).toString()) },
    { weight: 1, arbitrary: pairs.map((p) => p.map(([k, val]) => `${k}=${val}`).join('&')) },
    { weight: 1, arbitrary: str(300) },
  );
  const authorization = fc.oneof(
    fc.constant(undefined),
    fc.constant(basic(v.clients.machine.id, v.clients.machine.secret!)),
    fc.constant(basic(v.clients.web.id, v.clients.web.secret!)),
    fc.tuple(str(20), str(20)).map(([a, b]) => basic(a, b)),
    str(60).map((s) => `Basic ${s}`),
  );
  const contentType = fc.oneof(
    { weight: 6, arbitrary: fc.constant('application/x-www-form-urlencoded') },
    { weight: 1, arbitrary: fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded; charset=latin1', 'multipart/form-data; boundary=x') },
    { weight: 1, arbitrary: str(30) },
  );
  return fc.record({
    path: fc.oneof({ weight: 6, arbitrary: fc.constant('/oauth/token') }, { weight: 1, arbitrary: fc.constantFrom('/oauth/revoke', '/oauth/introspect') }),
    body,
    authorization,
    contentType,
  }).map(({ path, body: b, authorization: a, contentType: ct }): WireRequest => {
    const headers: Record<string, string> = { 'content-type': ct };
    if (a !== undefined) headers.authorization = a;
    return { method: 'POST', path, headers, body: b };
  });
}

/** The property for a resource answer. */
function checkResourceAnswer(a: Answer): void {
  expect([200, 400, 401, 403], a.body.slice(0, 200)).toContain(a.status);
  if (a.status === 200) return;
  expect(RESOURCE_ERRORS.has(String(a.json?.error)), a.body.slice(0, 200)).toBe(true);
  if (a.status === 401) expect(a.header('www-authenticate')).toMatch(/^(Bearer|ApiKey|Secret|Cookie)\b/);
  expect(CONTROL_RE.test(String(a.json?.error_description ?? ''))).toBe(false);
  expect(CONTROL_RE.test(a.header('www-authenticate') ?? '')).toBe(false);
}

/** The property for an authorization-server answer. */
function checkOAuthAnswer(a: Answer): void {
  expect(a.status, a.body.slice(0, 200)).toBeLessThan(500);
  if (a.status < 300) return;
  expect(a.status).toBeGreaterThanOrEqual(400);
  expect(OAUTH_ERRORS.has(String(a.json?.error)), a.body.slice(0, 200)).toBe(true);
  expect(a.header('cache-control')).toBe('no-store');
  if (a.status === 401) expect(a.header('www-authenticate')).toMatch(/^Basic /);
  const description = a.json?.error_description;
  if (description !== undefined) {
    expect(typeof description).toBe('string');
    expect(CONTROL_RE.test(description as string)).toBe(false);
  }
}

/** Assert a property, reporting the input count and time. */
async function check<T>(label: string, arb: fc.Arbitrary<T>, runs: number, predicate: (input: T) => Promise<void> | void, seed?: number): Promise<void> {
  const started = performance.now();
  await fc.assert(
    fc.asyncProperty(arb, async (input) => {
      await predicate(input);
    }),
    { numRuns: runs, timeout: PER_INPUT_TIMEOUT_MS, seed },
  );
  const ms = Math.round(performance.now() - started);
  console.log(`fuzz ${label}: ${runs} inputs in ${ms} ms`);
}

/**
 * Fuzz the core directly (`factory` null: header parsing, form bodies, the secret checksum, cookie
 * unsealing, the token endpoint) or one adapter (headers on the fixture routes and bodies on the token,
 * revocation and introspection endpoints, each answer also compared with the core's).
 */
export function describeFuzz(name: string, factory: ConformanceHarnessFactory | null, options: FuzzOptions = {}): void {
  describe(`fuzz[${name}]`, () => {
    let fixture: ConformanceFixture;
    let harness: ConformanceHarness;
    let reference: ConformanceHarness;
    beforeAll(async () => {
      fixture = await createConformanceFixture();
      reference = coreHarness(fixture);
      harness = factory ? await factory(fixture) : reference;
    });
    afterAll(async () => {
      await harness?.close();
      await fixture?.close();
    });

    if (factory === null) {
      it('verify: arbitrary header values give 200, 400, 401 or 403 with a standard body, never a throw', async () => {
        await check(`${name} verify(headers)`, resourceRequest(fixture, anyString), fuzzRuns(0.2), async (request) => {
          const url = new URL(request.path, 'http://x');
          const route = FIXTURE_ROUTES[url.pathname as keyof typeof FIXTURE_ROUTES] as { public?: boolean; scopes?: readonly string[]; allow?: readonly never[] };
          try {
            await fixture.auth.verify((h) => request.headers[h] as string | undefined, { httpMethod: request.method, scopes: route.scopes, allow: route.allow, query: (q) => url.searchParams.getAll(q) });
          } catch (err) {
            expect(isAuthError(err), String(err)).toBe(true);
            const parts = errorResponse(err);
            expect([400, 401, 403]).toContain(parts.status);
            expect(RESOURCE_ERRORS.has(parts.body.error)).toBe(true);
            expect(CONTROL_RE.test(parts.headers['www-authenticate'] ?? '')).toBe(false);
          }
        }, options.seed);
      });

      it('token endpoint: arbitrary form bodies give a 4xx with a standard body, never a 5xx', async () => {
        await check(`${name} handle(form body)`, formRequest(fixture, anyString), fuzzRuns(0.1), async (request) => {
          let webRequest: Request;
          try {
            webRequest = new Request(`${fixture.values.issuer}${request.path}`, { method: 'POST', headers: request.headers as Record<string, string>, body: request.body });
          } catch {
            return; // Not expressible as an HTTP request (a header value outside Latin-1): nothing to serve.
          }
          const res = await fixture.auth.handle(webRequest);
          checkOAuthAnswer(toAnswer({ status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() }));
        }, options.seed);
      });

      it('parseSecret never accepts a mutated secret', async () => {
        const prefixes = ['ak', 'pat', 'sk', 'cs', 'at', 'rt', 'ac', 'ss', 'acme_ak'];
        // Both shapes: plain, and time-ordered (OAuth tokens and codes: 8 clock characters more).
        const pool = prefixes.flatMap((p) => Array.from({ length: 20 }, (_, i) => generateSecret(p, { timeOrdered: i % 2 === 1 })));
        for (const s of pool) expect(parseSecret(s)).not.toBeNull();
        const mutation = fc.record({
          index: fc.nat(pool.length - 1),
          op: fc.constantFrom('substitute', 'delete', 'insert', 'swap', 'case'),
          at: fc.nat(80),
          ch: fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), fc.constantFrom(...'0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_')),
        });
        await check(`${name} parseSecret(mutated)`, mutation, fuzzRuns(0.25), ({ index, op, at, ch }) => {
          const s = pool[index]!;
          const i = at % s.length;
          let m: string;
          switch (op) {
            case 'substitute':
              m = s.slice(0, i) + ch + s.slice(i + 1);
              break;
            case 'delete':
              m = s.slice(0, i) + s.slice(i + 1);
              break;
            case 'insert':
              m = s.slice(0, i) + ch + s.slice(i);
              break;
            case 'swap':
              m = i + 1 < s.length ? s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2) : s;
              break;
            default:
              m = s.slice(0, i) + (s[i] === s[i]!.toUpperCase() ? s[i]!.toLowerCase() : s[i]!.toUpperCase()) + s.slice(i + 1);
          }
          if (m !== s) expect(parseSecret(m), `${op} at ${i}`).toBeNull();
        }, options.seed);
      });

      it('cookie unsealing: arbitrary and mutated cookies never open and never throw', async () => {
        const v = fixture.values;
        const sealed = v.cookie.slice(v.cookieName.length + 1);
        const safe = fc.constantFrom(...'0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_.=+/');
        const input = fc.oneof(
          anyString(300).map((s) => ({ header: s, mutated: false })),
          anyString(300).map((s) => ({ header: `${v.cookieName}=${s}`, mutated: false })),
          fc.record({ at: fc.nat(sealed.length - 1), ch: safe, op: fc.constantFrom('substitute', 'delete', 'insert', 'truncate') }).map(({ at, ch, op }) => {
            const m =
              op === 'substitute' ? sealed.slice(0, at) + ch + sealed.slice(at + 1)
              : op === 'delete' ? sealed.slice(0, at) + sealed.slice(at + 1)
              : op === 'insert' ? sealed.slice(0, at) + ch + sealed.slice(at)
              : sealed.slice(0, at);
            return { header: `${v.cookieName}=${m}`, mutated: m !== sealed };
          }),
        );
        await check(`${name} sessions.inspect(cookie)`, input, fuzzRuns(0.15), async ({ header, mutated }) => {
          const result = await fixture.auth.sessions.inspect(header);
          if (mutated) expect(result.status).toBe('invalid');
          else if (result.status === 'valid') expect(header).toContain(sealed);
          try {
            await fixture.auth.verify((h) => (h === 'cookie' ? header : undefined), { httpMethod: 'GET' });
            expect(header).toContain(sealed);
          } catch (err) {
            expect([400, 401]).toContain(errorResponse(err).status);
          }
        }, options.seed);
      });
      return;
    }

    it('resource routes: arbitrary header values, the same answer as the core, never a 5xx', async () => {
      await check(`${name} resource(headers)`, resourceRequest(fixture, wireString), fuzzRuns(0.015), async (request) => {
        const actual = toAnswer(await harness.resource(request));
        checkResourceAnswer(actual);
        const expected = toAnswer(await reference.resource(request));
        expect(comparable(actual)).toEqual(comparable(expected));
      }, options.seed);
    });

    it('token, revocation and introspection endpoints: arbitrary bodies, a 4xx with a standard body, never a 5xx', async () => {
      await check(`${name} authorizationServer(form body)`, formRequest(fixture, wireString), fuzzRuns(0.02), async (request) => {
        checkOAuthAnswer(toAnswer(await harness.authorizationServer(request)));
      }, options.seed);
    });
  });
}
