/**
 * `oauth.serveBackChannel`: the token, revocation and introspection endpoints on plain request parts, and
 * the client-authentication cache behind them.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuthServer, type AuthServer } from '../../../src/server/auth-server.js';
import type { BackChannelRequest, PlainResponse } from '../../../src/server/oauth/back-channel.js';
import type { AuthStore } from '../../../src/server/store.js';
import { memoryAuthStore } from '../../../src/store/memory-auth-store.js';
import { nodeHeaderAccessor } from '../../../src/server/verify/header-accessor.js';

const ISSUER = 'https://as.example.com';
const FORM = 'application/x-www-form-urlencoded';

/** A memory store that counts the reads client authentication makes. */
function countingStore() {
  const inner = memoryAuthStore();
  const reads = { getClient: 0, findCredentialByHash: 0 };
  const store: AuthStore = {
    ...inner,
    getClient(id) {
      reads.getClient++;
      return inner.getClient(id);
    },
    findCredentialByHash(hash) {
      reads.findCredentialByHash++;
      return inner.findCredentialByHash(hash);
    },
  };
  return { inner, store, reads };
}

let servers: AuthServer[] = [];
afterEach(async () => {
  for (const s of servers) await s.close();
  servers = [];
});

async function setup(oauth: Parameters<typeof createAuthServer>[0]['oauth'] = {}) {
  let now = Date.UTC(2026, 0, 1);
  const { inner, store, reads } = countingStore();
  const auth = createAuthServer({
    issuer: ISSUER,
    store,
    secrets: ['back-channel-test-secret-0123456789abcdef'],
    now: () => now,
    oauth,
  });
  servers.push(auth);
  const { client, clientSecret } = await auth.clients.register({
    name: 'backend',
    type: 'confidential',
    redirectUris: [],
    grantTypes: ['client_credentials'],
    scopes: ['read', 'write'],
  });
  const basic = (id = client.clientId, secret = clientSecret!) =>
    `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
  const headers =
    (h: Record<string, string | string[]>): BackChannelRequest['headers'] =>
    (name) =>
      h[name];
  const post = (body: BackChannelRequest['body'], h: Record<string, string | string[]> = {}, path = '/oauth/token') =>
    auth.oauth.serveBackChannel({
      method: 'POST',
      pathname: path,
      headers: headers({ 'content-type': FORM, authorization: basic(), ...h }),
      body,
    });
  return { auth, inner, reads, client, clientSecret: clientSecret!, basic, post, advance: (ms: number) => (now += ms) };
}

function json(res: PlainResponse | null): Record<string, unknown> {
  expect(res).not.toBeNull();
  return JSON.parse(res!.body ?? 'null') as Record<string, unknown>;
}

describe('serveBackChannel: request parts', () => {
  it('takes the body as text, bytes, a parsed form, a Node stream or a Web stream', async () => {
    const s = await setup();
    const form = 'grant_type=client_credentials&scope=read';
    const bodies: BackChannelRequest['body'][] = [
      form,
      Buffer.from(form),
      new URLSearchParams(form),
      { grant_type: 'client_credentials', scope: 'read' },
      Readable.from([Buffer.from(form.slice(0, 9)), Buffer.from(form.slice(9))]),
      new Blob([form]).stream(),
    ];
    for (const body of bodies) {
      const res = await s.post(body);
      expect(res?.status).toBe(200);
      expect(res?.headers).toMatchObject({ 'cache-control': 'no-store', pragma: 'no-cache' });
      const tokens = json(res);
      expect(tokens).toMatchObject({ token_type: 'Bearer', scope: 'read', expires_in: 3600 });
      await expect(s.auth.oauth.verifyAccessToken(tokens.access_token as string)).resolves.toMatchObject({ clientId: s.client.clientId });
    }
  });

  it('answers exactly as handle() does for the same request', async () => {
    const s = await setup();
    const body = 'grant_type=client_credentials&scope=admin';
    const plain = await s.post(body);
    const web = await s.auth.oauth.handle(
      new Request(`${ISSUER}/oauth/token`, { method: 'POST', headers: { 'content-type': FORM, authorization: s.basic() }, body }),
    );
    expect(plain?.status).toBe(400);
    expect(web.status).toBe(plain?.status);
    expect(await web.text()).toBe(plain?.body);
    expect(Object.fromEntries(web.headers)).toEqual(plain?.headers);
  });

  it('is null for paths that are not back-channel endpoints, so adapters fall back to handle()', async () => {
    const s = await setup();
    for (const pathname of ['/oauth/authorize', '/.well-known/oauth-authorization-server', '/oauth/login', '/nope', '']) {
      await expect(s.auth.oauth.serveBackChannel({ method: 'POST', pathname, headers: () => undefined })).resolves.toBeNull();
    }
    await expect(s.auth.oauth.serveBackChannel(undefined as never)).resolves.toBeNull();
  });

  it('refuses other methods with 405 and Allow, a repeated header and a wrong content type with 400', async () => {
    const s = await setup();
    const get = await s.auth.oauth.serveBackChannel({ method: 'GET', pathname: '/oauth/revoke', headers: () => undefined });
    expect(get?.status).toBe(405);
    expect(get?.headers.allow).toBe('POST');
    expect(json(get).error).toBe('invalid_request');

    const twice = await s.post('grant_type=client_credentials', { authorization: [s.basic(), s.basic()] });
    expect(twice?.status).toBe(400);
    expect(json(twice).error_description).toBe('The authorization header was sent more than once');

    const typed = await s.post('{"grant_type":"client_credentials"}', { 'content-type': 'application/json' });
    expect(typed?.status).toBe(400);
    expect(json(typed).error_description).toContain('x-www-form-urlencoded');

    const broken = await s.auth.oauth.serveBackChannel({ method: 'POST', pathname: '/oauth/token', headers: 'x' as never });
    expect(broken?.status).toBe(400);
  });

  it('limits the body however it arrives, and reports a drained one as a client error', async () => {
    const s = await setup();
    const huge = `grant_type=client_credentials&pad=${'x'.repeat(70_000)}`;
    for (const body of [huge, Buffer.from(huge), Readable.from([Buffer.from(huge)]), new Blob([huge]).stream()]) {
      const res = await s.post(body);
      expect(res?.status).toBe(400);
      expect(json(res).error_description).toBe('The request body is too large');
    }
    const declared = await s.post('grant_type=client_credentials', { 'content-length': '999999' });
    expect(json(declared).error_description).toBe('The request body is too large');
    const consumed = await s.post('consumed');
    expect(json(consumed).error_description).toBe('The request body was already consumed');
  });

  it('reads a Node stream by its events: text chunks, an async iterable that is no stream, and a body that breaks off', async () => {
    const s = await setup();
    const form = 'grant_type=client_credentials&scope=read';
    const text = Readable.from([form.slice(0, 5), form.slice(5)], { objectMode: false });
    text.setEncoding('utf8');
    const iterable = (async function* () {
      yield Buffer.from(form);
    })();
    for (const body of [text, iterable] as BackChannelRequest['body'][]) {
      const res = await s.post(body);
      expect(res?.status).toBe(200);
    }
    // An error mid-body, and a close before the end (the client went away): a 400, neither a 500 nor a hang.
    const failing = new Readable({ read() {} });
    failing.push(Buffer.from('grant_type='));
    setImmediate(() => failing.destroy(new Error('socket hang up')));
    const closing = new Readable({ read() {} });
    closing.push(Buffer.from('grant_type='));
    setImmediate(() => closing.destroy());
    for (const body of [failing, closing]) {
      const res = await s.post(body);
      expect(res?.status).toBe(400);
      expect(json(res)).toEqual({ error: 'invalid_request', error_description: 'The request body could not be read' });
    }
    // Already read to its end by someone else: an empty form, so the missing grant_type is what is reported.
    const ended = Readable.from([Buffer.from(form)]);
    for await (const _ of ended) {
      // drain
    }
    expect(json(await s.post(ended)).error).toBe('invalid_request');
  });

  it('never lets a failing store become more than a bare 500 server_error', async () => {
    const s = await setup({ clientCache: false });
    s.inner.getClient = async () => {
      throw new Error('connection refused: postgres://admin:hunter2@db');
    };
    const res = await s.post('grant_type=client_credentials');
    expect(res?.status).toBe(500);
    expect(json(res)).toEqual({ error: 'server_error', error_description: 'The server could not complete the request' });
  });

  it('serves revocation (bodyless 200) and introspection', async () => {
    const s = await setup();
    const token = json(await s.post('grant_type=client_credentials')).access_token as string;
    const active = await s.post(`token=${token}`, {}, '/oauth/introspect');
    expect(json(active)).toMatchObject({ active: true, client_id: s.client.clientId });
    const revoked = await s.post(new URLSearchParams({ token }), {}, '/oauth/revoke');
    expect(revoked).toEqual({ status: 200, headers: { 'cache-control': 'no-store', pragma: 'no-cache' }, body: null });
    expect(json(await s.post(`token=${token}`, {}, '/oauth/introspect'))).toEqual({ active: false });
  });
});

describe('serveBackChannel on a bare node:http server (the guide example)', () => {
  it('reads the unread request stream, and answers an oversize body with a 400, not a reset', async () => {
    const s = await setup();
    const server = createServer(async (req, res) => {
      const answer = await s.auth.oauth.serveBackChannel({
        method: req.method!,
        pathname: new URL(req.url!, 'http://localhost').pathname,
        headers: nodeHeaderAccessor(req),
        body: req,
      });
      if (answer) res.writeHead(answer.status, answer.headers).end(answer.body ?? undefined);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth/token`;
    try {
      const headers = { 'content-type': FORM, authorization: s.basic() };
      const ok = await fetch(url, { method: 'POST', headers, body: 'grant_type=client_credentials' });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('cache-control')).toBe('no-store');
      expect(((await ok.json()) as { token_type: string }).token_type).toBe('Bearer');
      // Streamed in chunks with no Content-Length: the limit is found while reading.
      const chunks = Readable.from((function* () {
        yield Buffer.from('grant_type=client_credentials&pad=');
        for (let i = 0; i < 20; i++) yield Buffer.alloc(8192, 120);
      })());
      const big = await fetch(url, { method: 'POST', headers, body: Readable.toWeb(chunks) as ReadableStream, duplex: 'half' } as RequestInit);
      expect(big.status).toBe(400);
      expect(((await big.json()) as { error_description: string }).error_description).toBe('The request body is too large');
      expect((await fetch(url.replace('/oauth/token', '/elsewhere'))).status).toBe(404);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('client authentication cache', () => {
  const grant = 'grant_type=client_credentials';

  it('reads neither the client nor its secret from the store on a warm request', async () => {
    const s = await setup();
    expect((await s.post(grant))?.status).toBe(200);
    const before = { ...s.reads };
    for (let i = 0; i < 5; i++) expect((await s.post(grant))?.status).toBe(200);
    expect(s.reads).toEqual(before);
  });

  it('never caches a failure, and a cached success does not let another secret in', async () => {
    const s = await setup();
    const wrong = `${s.clientSecret.slice(0, -8)}AAAAAAAA`;
    expect((await s.post(grant, { authorization: s.basic(s.client.clientId, wrong) }))?.status).toBe(401);
    expect((await s.post(grant))?.status).toBe(200);
    expect((await s.post(grant, { authorization: s.basic(s.client.clientId, wrong) }))?.status).toBe(401);
    expect((await s.post(grant, { authorization: s.basic('other-client', s.clientSecret) }))?.status).toBe(401);
  });

  it('drops a client at once when the manager revokes it, updates its grants or rotates its secret', async () => {
    const s = await setup();
    expect((await s.post(grant))?.status).toBe(200);
    await s.auth.clients.update(s.client.clientId, { grantTypes: ['authorization_code'], redirectUris: ['https://app.example.com/cb'] });
    expect(json(await s.post(grant)).error).toBe('unauthorized_client');
    await s.auth.clients.update(s.client.clientId, { grantTypes: ['client_credentials'] });
    expect((await s.post(grant))?.status).toBe(200);

    const { clientSecret: next } = await s.auth.clients.rotateSecret(s.client.clientId);
    expect((await s.post(grant))?.status).toBe(401);
    expect((await s.post(grant, { authorization: s.basic(s.client.clientId, next) }))?.status).toBe(200);

    await s.auth.clients.revoke(s.client.clientId);
    expect((await s.post(grant, { authorization: s.basic(s.client.clientId, next) }))?.status).toBe(401);
  });

  it('drops a public client when the manager revokes it (it has no secret to retire)', async () => {
    const s = await setup();
    const { client } = await s.auth.clients.register({
      name: 'spa',
      type: 'public',
      redirectUris: ['https://spa.example.com/cb'],
    });
    const revoke = (token: string) => s.post(`client_id=${client.clientId}&token=${token}`, { authorization: [] }, '/oauth/revoke');
    expect((await revoke('at_unknown'))?.status).toBe(200);
    await s.auth.clients.revoke(client.clientId);
    expect((await revoke('at_unknown'))?.status).toBe(401);
  });

  it('sees an unannounced change (another process, no shared bus) within the TTL, or at once when off', async () => {
    const s = await setup({ clientCache: { ttl: '10s' } });
    expect((await s.post(grant))?.status).toBe(200);
    await s.inner.updateClient(s.client.clientId, { revokedAt: Date.now() });
    expect((await s.post(grant))?.status).toBe(200);
    s.advance(10_000);
    expect((await s.post(grant))?.status).toBe(401);

    const off = await setup({ clientCache: false });
    expect((await off.post(grant))?.status).toBe(200);
    await off.inner.updateClient(off.client.clientId, { revokedAt: Date.now() });
    expect((await off.post(grant))?.status).toBe(401);
  });

  it('stops a rotated secret at the end of its overlap even while cached', async () => {
    const s = await setup();
    expect((await s.post(grant))?.status).toBe(200);
    await s.auth.clients.rotateSecret(s.client.clientId, { overlap: '1m' });
    expect((await s.post(grant))?.status).toBe(200);
    s.advance(60_000);
    expect((await s.post(grant))?.status).toBe(401);
  });

  it('validates its options', () => {
    const make = (clientCache: unknown) => () =>
      createAuthServer({ issuer: ISSUER, store: memoryAuthStore(), secrets: ['x'.repeat(32)], oauth: { clientCache: clientCache as never } });
    expect(make({ maxEntries: -1 })).toThrow(/clientCache.maxEntries/);
    expect(make({ ttl: 'soon' })).toThrow(/clientCache.ttl/);
    expect(make('yes')).toThrow(/clientCache must be false/);
  });
});
