import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTokenServer, type TokenServer } from '../../../testkit/src/index.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientCredentials, type ClientCredentialsOptions, createTokenManager, passwordGrant } from '../../src/client/index.js';
import { InvalidResponseError, NetworkError, OAuthError, TimeoutError } from '../../src/errors.js';

const SECRET = 'cc-secret-value-9f8e7d';
const PASSWORD = 'pa55word-do-not-leak';
let server: TokenServer;
beforeAll(async () => {
  server = await startTokenServer({
    clients: [{ clientId: 'cc', clientSecret: SECRET }],
    users: [{ username: 'u', password: PASSWORD }],
    refreshTokens: 'rotate',
  });
});
afterAll(() => server.close());

let before = 0;
let sleeps: number[] = [];
beforeEach(() => {
  server.clearScript();
  before = server.counts.token;
  sleeps = [];
});
const requests = () => server.counts.token - before;

function grant(extra: Partial<ClientCredentialsOptions> = {}) {
  return clientCredentials({
    tokenEndpoint: server.tokenEndpoint,
    clientId: 'cc',
    clientSecret: SECRET,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...extra,
  } as ClientCredentialsOptions);
}
const fail = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as Error);

describe('timeouts and retries (rule 11)', () => {
  it('a slow token endpoint ends in TimeoutError', async () => {
    server.script({ hang: true });
    const started = Date.now();
    const err = await fail(grant({ timeout: '500ms', retry: false }).requestToken());
    expect(err).toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(requests()).toBe(1);
  });

  it('a timed-out client credentials request is retried (safe to repeat)', async () => {
    server.script({ hang: true });
    const set = await grant({ timeout: '500ms', retry: { attempts: 2 } }).requestToken();
    expect(server.isAccessTokenActive(set.accessToken)).toBe(true);
    expect(requests()).toBe(2);
  });

  it('a timed-out refresh is NOT replayed: the server may already have rotated the token', async () => {
    const pw = passwordGrant({ tokenEndpoint: server.tokenEndpoint, clientId: 'cc', clientSecret: SECRET, username: 'u', password: PASSWORD, timeout: '500ms', retry: { attempts: 3 }, sleep: async () => {} });
    const { refreshToken } = await pw.requestToken();
    server.script({ hang: true });
    const err = await fail(pw.refresh(refreshToken!));
    expect(err).toBeInstanceOf(TimeoutError);
    expect(requests()).toBe(2);
  });

  it('503 then 200 succeeds with two requests and one full-jitter backoff', async () => {
    server.script({ status: 503, body: '<html>down</html>' });
    const set = await grant({ random: () => 0.5, retry: { baseDelay: '400ms' } }).requestToken();
    expect(server.isAccessTokenActive(set.accessToken)).toBe(true);
    expect(requests()).toBe(2);
    expect(sleeps).toEqual([200]);
  });

  it('honours Retry-After in seconds on 429, and caps it', async () => {
    server.script({ status: 429, headers: { 'retry-after': '7' }, body: { error: 'slow_down' } });
    server.script({ status: 429, headers: { 'retry-after': '3600' } });
    await grant({ retry: { attempts: 3, maxRetryAfter: '30s' } }).requestToken();
    expect(sleeps).toEqual([7_000, 30_000]);
    expect(requests()).toBe(3);
  });

  it('honours Retry-After as an HTTP date', async () => {
    server.script({ status: 503, headers: { 'retry-after': new Date(Date.now() + 5_000).toUTCString() } });
    await grant().requestToken();
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThan(3_000);
    expect(sleeps[0]).toBeLessThanOrEqual(5_000);
  });

  it('stops after the configured number of attempts with capped exponential backoff', async () => {
    server.script(...Array.from({ length: 4 }, () => ({ status: 500, body: { error: 'server_error' } })));
    const err = await fail(grant({ random: () => 0.999, retry: { attempts: 4, baseDelay: '100ms', maxDelay: '300ms' } }).requestToken());
    expect(err).toBeInstanceOf(OAuthError);
    expect(err).toMatchObject({ error: 'server_error', status: 500 });
    expect(requests()).toBe(4);
    expect(sleeps).toEqual([99, 199, 299]);
  });

  it('invalid_client and invalid_grant are never retried', async () => {
    const bad = clientCredentials({ tokenEndpoint: server.tokenEndpoint, clientId: 'cc', clientSecret: 'wrong-secret-1234', sleep: async (ms) => void sleeps.push(ms) });
    expect(await fail(bad.requestToken())).toMatchObject({ error: 'invalid_client', status: 401 });
    const wrongPassword = passwordGrant({ tokenEndpoint: server.tokenEndpoint, clientId: 'cc', clientSecret: SECRET, username: 'u', password: 'nope-nope' });
    expect(await fail(wrongPassword.requestToken())).toMatchObject({ error: 'invalid_grant', status: 400 });
    expect(requests()).toBe(2);
    expect(sleeps).toEqual([]);
  });

  it('a refused connection is a NetworkError after bounded retries', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const err = await fail(grant({ tokenEndpoint: `http://127.0.0.1:${port}/token`, retry: { attempts: 3 } }).requestToken());
    expect(err).toBeInstanceOf(NetworkError);
    expect(sleeps).toHaveLength(2);
  });
});

describe('bad responses are typed errors', () => {
  const cases: [string, Parameters<TokenServer['script']>[0], RegExp][] = [
    ['an HTML page', { status: 200, body: '<!doctype html><h1>Login</h1>' }, /not JSON/],
    ['a JSON array', { status: 200, body: [1, 2] }, /not a JSON object/],
    ['no access_token', { status: 200, body: { token_type: 'Bearer' } }, /access_token is missing/],
    ['a DPoP token', { status: 200, body: { access_token: 'x', token_type: 'DPoP' } }, /DPoP/],
    ['an unknown token_type', { status: 200, body: { access_token: 'x', token_type: 'mac' } }, /token_type/],
    ['a garbage expires_in', { status: 200, body: { access_token: 'x', expires_in: 'soon' } }, /expires_in/],
    ['a huge body', { status: 200, body: { access_token: 'x'.repeat(300_000) } }, /exceeds/],
    ['a redirect', { status: 302, headers: { location: 'https://evil.example/' } }, /redirect/],
    ['an HTML 4xx', { status: 404, body: '<h1>Not found</h1>' }, /HTTP 404/],
  ];
  for (const [name, response, message] of cases) {
    it(`${name} -> InvalidResponseError`, async () => {
      server.script(response);
      const err = await fail(grant({ retry: false }).requestToken());
      expect(err).toBeInstanceOf(InvalidResponseError);
      expect(err!.message).toMatch(message);
    });
  }

  it('accepts token_type in any case and a numeric-string expires_in', async () => {
    server.script({ status: 200, body: { access_token: 'abc', token_type: 'BEARER', expires_in: '60' } });
    const set = await grant().requestToken();
    expect(set).toMatchObject({ accessToken: 'abc', tokenType: 'Bearer' });
    expect(set.expiresAt! - set.obtainedAt).toBe(60_000);
  });

  it('a missing expires_in means unknown expiry: the manager assumes defaultLifetime', async () => {
    let clock = Date.now();
    server.script({ status: 200, body: { access_token: 'no-expiry', token_type: 'Bearer' } });
    const tokens = createTokenManager(grant(), { now: () => clock, defaultLifetime: '2m', refreshSkew: '10s' });
    expect((await tokens.getTokenSet()).expiresAt).toBeNull();
    clock += 100_000;
    expect(await tokens.getAccessToken()).toBe('no-expiry');
    clock += 15_000;
    expect(await tokens.getAccessToken()).not.toBe('no-expiry');
  });
});

describe('secrets never appear in errors', () => {
  it('scrubs a client secret and password that a server echoes back in error_description', async () => {
    server.script({ status: 400, body: { error: 'invalid_request', error_description: `bad password ${PASSWORD} for secret ${encodeURIComponent(SECRET)}` } });
    const pw = passwordGrant({ tokenEndpoint: server.tokenEndpoint, clientId: 'cc', clientSecret: SECRET, username: 'u', password: PASSWORD });
    const err = await fail(pw.requestToken());
    expect(err).toBeInstanceOf(OAuthError);
    const text = `${err!.message} ${JSON.stringify(err)} ${(err as OAuthError).error_description}`;
    expect(text).toContain('[redacted]');
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(encodeURIComponent(SECRET));
  });

  it('timeout, network and response errors carry no secret', async () => {
    server.script({ hang: true }, { status: 200, body: `<html>${SECRET}</html>` });
    const pw = passwordGrant({ tokenEndpoint: server.tokenEndpoint, clientId: 'cc', clientSecret: SECRET, username: 'u', password: PASSWORD, timeout: '500ms', retry: false });
    for (const err of [await fail(pw.requestToken()), await fail(pw.requestToken())]) {
      const text = `${err!.message} ${JSON.stringify(err)} ${String(err!.stack)}`;
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(PASSWORD);
    }
  });
});
