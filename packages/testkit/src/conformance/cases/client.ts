/**
 * The client half against misbehaving servers (RFC 6749 5.1, RFC 9207, RFC 8414 3.3, RFC 9700 4.11):
 * run against the core client only.
 *
 * @module
 */
import {
  apiKey,
  authFetch,
  authorizationCode,
  bearer,
  CallbackError,
  clientCredentials,
  discover,
  InvalidResponseError,
  OAuthError,
  parseTokenResponse,
} from '@auth/core';
import { expect } from 'vitest';
import type { ClientCase } from '../types.js';

const TOKEN_ENDPOINT = 'https://as.example.com/token';
const CLIENT_SECRET = 'cs_client-secret-that-must-never-leak-0123';

type Handler = (url: URL, init: RequestInit) => Response | Promise<Response>;

/** A fetch that answers from `handler` and records what it was sent. */
function fakeFetch(handler: Handler) {
  const calls: { url: URL; headers: Headers; method: string }[] = [];
  const fetchImpl = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    calls.push({ url, headers: new Headers(init.headers), method: init.method ?? 'GET' });
    return handler(url, init);
  }) as typeof fetch;
  return { fetch: fetchImpl, calls };
}

function grantWith(handler: Handler) {
  const f = fakeFetch(handler);
  const grant = clientCredentials({ tokenEndpoint: TOKEN_ENDPOINT, clientId: 'app', clientSecret: CLIENT_SECRET, fetch: f.fetch, retry: false });
  return { grant, calls: f.calls };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** The grant must fail with `type`, and the error must not carry the client secret. */
async function expectFailure(handler: Handler, type: abstract new (...args: never[]) => Error, message?: RegExp): Promise<Error> {
  const { grant } = grantWith(handler);
  const err = await grant.requestToken().then(
    () => null,
    (e: unknown) => e as Error,
  );
  expect(err).toBeInstanceOf(type);
  if (message) expect(err!.message).toMatch(message);
  expect(`${err!.message} ${JSON.stringify(err)}`).not.toContain(CLIENT_SECRET);
  return err!;
}

function client(name: string, source: string, run: () => Promise<void>): ClientCase {
  return { kind: 'client', category: 'client', name, source, run };
}

export const CLIENT_CASES: readonly ClientCase[] = [
  client('token endpoint returns garbage', 'RFC 6749 5.1 (application/json)', async () => {
    await expectFailure(() => new Response('\u0000\u0001garbage{', { status: 200 }), InvalidResponseError, /not JSON/);
  }),
  client('token endpoint returns an HTML page with 200', 'RFC 6749 5.1', async () => {
    await expectFailure(() => new Response('<html><body>Login</body></html>', { status: 200, headers: { 'content-type': 'text/html' } }), InvalidResponseError, /text\/html/);
  }),
  client('token endpoint returns an HTML error page', 'RFC 6749 5.2', async () => {
    await expectFailure(() => new Response('<html>502 Bad Gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }), InvalidResponseError, /HTTP 502/);
  }),
  client('token endpoint returns a huge body (declared)', 'CWE-400', async () => {
    await expectFailure(() => new Response('x'.repeat(1024), { status: 200, headers: { 'content-length': String(10 * 1024 * 1024) } }), InvalidResponseError, /exceeds/);
  }),
  client('token endpoint streams a huge body (undeclared)', 'CWE-400', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ > 64) controller.close();
        else controller.enqueue(chunk);
      },
    });
    await expectFailure(() => new Response(stream, { status: 200 }), InvalidResponseError, /exceeds/);
    expect(sent).toBeLessThan(64);
  }),
  client('wrong token_type', 'RFC 6749 7.1 (client MUST NOT use a token type it does not understand)', async () => {
    await expectFailure(() => json({ access_token: 'a', token_type: 'mac', expires_in: 60 }), InvalidResponseError, /token_type/);
  }),
  client('DPoP token_type is refused, not used as Bearer', 'RFC 9449 5', async () => {
    await expectFailure(() => json({ access_token: 'a', token_type: 'DPoP', expires_in: 60 }), InvalidResponseError, /DPoP/);
  }),
  client('no expires_in: the token is kept with an unknown expiry', 'RFC 6749 5.1 (expires_in RECOMMENDED)', async () => {
    const { grant } = grantWith(() => json({ access_token: 'a', token_type: 'Bearer' }));
    expect((await grant.requestToken()).expiresAt).toBeNull();
  }),
  client('expires_in as a string', 'seed 001', async () => {
    const set = parseTokenResponse({ access_token: 'a', token_type: 'bearer', expires_in: '1799' }, 1_000);
    expect(set.expiresAt).toBe(1_000 + 1_799_000);
  }),
  client('negative expires_in', 'RFC 6749 5.1', async () => {
    await expectFailure(() => json({ access_token: 'a', token_type: 'Bearer', expires_in: -5 }), InvalidResponseError, /expires_in/);
  }),
  client('missing access_token', 'RFC 6749 5.1 (REQUIRED)', async () => {
    await expectFailure(() => json({ token_type: 'Bearer' }), InvalidResponseError, /access_token/);
  }),
  client('a JSON array instead of an object', 'RFC 6749 5.1', async () => {
    await expectFailure(() => json([{ access_token: 'a' }]), InvalidResponseError, /object/);
  }),
  client('error body echoing the client secret: redacted', 'RFC 6749 5.2; CWE-532', async () => {
    const err = (await expectFailure(() => json({ error: 'invalid_client', error_description: `bad secret ${CLIENT_SECRET}` }, 401), OAuthError)) as OAuthError;
    expect(err.error).toBe('invalid_client');
    expect(err.status).toBe(401);
    expect(err.error_description).toContain('[redacted]');
  }),
  client('token endpoint redirects: not followed, credentials not resent', 'RFC 9700 4.11 (no redirects with credentials)', async () => {
    const { grant, calls } = grantWith(() => new Response(null, { status: 307, headers: { location: 'https://evil.example/steal' } }));
    await expect(grant.requestToken()).rejects.toBeInstanceOf(InvalidResponseError);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url.origin).toBe('https://as.example.com');
  }),
  client('callback iss mismatch is refused before the code is used', 'RFC 9207 2.4 (mix-up defence)', async () => {
    const f = fakeFetch(() => json({ access_token: 'a', token_type: 'Bearer' }));
    const grant = authorizationCode({ authorizationEndpoint: 'https://as.example.com/authorize', tokenEndpoint: TOKEN_ENDPOINT, issuer: 'https://as.example.com', clientId: 'app', redirectUri: 'https://app.example.com/cb', fetch: f.fetch, retry: false });
    const { transaction } = await grant.createAuthorizationRequest();
    const callback = `https://app.example.com/cb?code=c&state=${transaction.state}&iss=${encodeURIComponent('https://evil.example')}`;
    await expect(grant.handleCallback(callback, transaction)).rejects.toBeInstanceOf(CallbackError);
    expect(f.calls).toHaveLength(0);
  }),
  client('callback without iss when the server advertises it', 'RFC 9207 2.4', async () => {
    const f = fakeFetch(() => json({ access_token: 'a', token_type: 'Bearer' }));
    const grant = authorizationCode({ authorizationEndpoint: 'https://as.example.com/authorize', tokenEndpoint: TOKEN_ENDPOINT, issuer: 'https://as.example.com', authorizationResponseIssParameterSupported: true, clientId: 'app', redirectUri: 'https://app.example.com/cb', fetch: f.fetch, retry: false });
    const { transaction } = await grant.createAuthorizationRequest();
    await expect(grant.handleCallback(`https://app.example.com/cb?code=c&state=${transaction.state}`, transaction)).rejects.toBeInstanceOf(CallbackError);
    expect(f.calls).toHaveLength(0);
  }),
  client('callback state mismatch', 'RFC 6749 10.12 (CSRF on the redirect URI)', async () => {
    const f = fakeFetch(() => json({ access_token: 'a', token_type: 'Bearer' }));
    const grant = authorizationCode({ authorizationEndpoint: 'https://as.example.com/authorize', tokenEndpoint: TOKEN_ENDPOINT, clientId: 'app', redirectUri: 'https://app.example.com/cb', fetch: f.fetch, retry: false });
    const { transaction } = await grant.createAuthorizationRequest();
    await expect(grant.handleCallback('https://app.example.com/cb?code=c&state=forged', transaction)).rejects.toBeInstanceOf(CallbackError);
    expect(f.calls).toHaveLength(0);
  }),
  client('discovery document for another issuer', 'RFC 8414 3.3 (issuer MUST be identical)', async () => {
    const f = fakeFetch(() => json({ issuer: 'https://evil.example', token_endpoint: 'https://evil.example/token' }));
    await expect(discover('https://as.example.com', { fetch: f.fetch, retry: false })).rejects.toBeInstanceOf(InvalidResponseError);
  }),
  client('redirect to another origin drops the Bearer token', 'RFC 9110 15.4 (credentials and redirects); Fetch 4.4 step 13', async () => {
    const f = fakeFetch((url) => (url.origin === 'https://api.example.com' ? new Response(null, { status: 302, headers: { location: 'https://cdn.example.net/file' } }) : new Response('ok')));
    const res = await authFetch(bearer('pat_secret-token-value'), { fetch: f.fetch })('https://api.example.com/export');
    expect(await res.text()).toBe('ok');
    expect(f.calls).toHaveLength(2);
    expect(f.calls[0]!.headers.get('authorization')).toBe('Bearer pat_secret-token-value');
    expect(f.calls[1]!.headers.get('authorization')).toBeNull();
  }),
  client('redirect to another origin drops the API key headers, and the caller\'s own Authorization', 'RFC 9110 15.4', async () => {
    const f = fakeFetch((url) => (url.origin === 'https://api.example.com' ? new Response(null, { status: 307, headers: { location: 'https://evil.example/x' } }) : new Response('ok')));
    const api = authFetch(apiKey({ key: 'ak_key', businessId: 'b', userId: 'u' }), { fetch: f.fetch });
    await api('https://api.example.com/x', { headers: { authorization: 'Bearer caller-set' } });
    const second = f.calls[1]!.headers;
    expect([second.get('x-api-key'), second.get('x-business-id'), second.get('x-user-id')]).toEqual([null, null, null]);
  }),
  client('redirect within the origin keeps the credential', 'RFC 9110 15.4', async () => {
    const f = fakeFetch((url) => (url.pathname === '/old' ? new Response(null, { status: 301, headers: { location: '/new' } }) : new Response('ok')));
    await authFetch(bearer('pat_secret-token-value'), { fetch: f.fetch })('https://api.example.com/old');
    expect(f.calls[1]!.headers.get('authorization')).toBe('Bearer pat_secret-token-value');
  }),
  client('legacy query-string key is not carried to another origin', 'RFC 9700 4.3.2; seed 002', async () => {
    const f = fakeFetch((url) => (url.origin === 'https://api.example.com' ? new Response(null, { status: 302, headers: { location: `https://evil.example/x?api_key=ak_legacy` } }) : new Response('ok')));
    await authFetch(apiKey({ key: 'ak_legacy', query: 'api_key' }), { fetch: f.fetch })('https://api.example.com/x');
    expect(f.calls[0]!.url.searchParams.get('api_key')).toBe('ak_legacy');
    expect(f.calls[1]!.url.searchParams.get('api_key')).toBeNull();
  }),
];
