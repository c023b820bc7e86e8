import { startTokenServer, type TokenServer } from '../../../testkit/src/index.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiKey, authFetch, bearer, createTokenManager, passwordGrant } from '../../src/client/index.js';

let server: TokenServer;
let other: TokenServer;
beforeAll(async () => {
  server = await startTokenServer({
    clients: [{ clientId: 'k', clientSecret: 's' }],
    users: [{ username: 'u', password: 'p' }],
    legacyApiKeys: ['legacy-query-key'],
  });
  other = await startTokenServer();
});
afterAll(async () => {
  await server.close();
  await other.close();
});

const manager = () =>
  createTokenManager(passwordGrant({ tokenEndpoint: server.tokenEndpoint, clientId: 'k', clientSecret: 's', username: 'u', password: 'p' }));

let tokenBefore = 0;
let resourceBefore = 0;
beforeEach(() => {
  tokenBefore = server.counts.token;
  resourceBefore = server.counts.resource;
});
const tokenRequests = () => server.counts.token - tokenBefore;
const resourceRequests = () => server.counts.resource - resourceBefore;

describe('authFetch (rules 9 and 14)', () => {
  it('on 401 renews once and retries once', async () => {
    const tokens = manager();
    const api = authFetch(tokens);
    const old = await tokens.getAccessToken();
    server.killAccessToken(old);
    const res = await api(`${server.resourceUrl}/items`);
    expect(res.status).toBe(200);
    expect(tokenRequests()).toBe(2);
    expect(resourceRequests()).toBe(2);
    expect(await tokens.getAccessToken()).not.toBe(old);
  });

  it('surfaces a second 401 without looping', async () => {
    // Tokens from `server` mean nothing to `other`: every attempt is rejected.
    const api = authFetch(manager());
    const otherBefore = other.counts.resource;
    const res = await api(`${other.resourceUrl}/items`);
    expect(res.status).toBe(401);
    expect(other.counts.resource - otherBefore).toBe(2);
    expect(tokenRequests()).toBe(2);
  });

  it('does not renew on 403', async () => {
    const api = authFetch(manager());
    const res = await api(`${server.resourceUrl}/forbidden`);
    expect(res.status).toBe(403);
    expect(resourceRequests()).toBe(1);
    expect(tokenRequests()).toBe(1);
  });

  it('concurrent 401s carrying the same old token share one renewal', { timeout: 10_000 }, async () => {
    const tokens = manager();
    const api = authFetch(tokens);
    server.killAccessToken(await tokens.getAccessToken());
    const statuses = await Promise.all(Array.from({ length: 100 }, () => api(`${server.resourceUrl}/items`).then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(tokenRequests()).toBe(2);
  });

  it('replays a string body on the retry, but surfaces the 401 for a stream body', async () => {
    const tokens = manager();
    const api = authFetch(tokens);
    server.killAccessToken(await tokens.getAccessToken());
    const replayed = await api(`${server.resourceUrl}/items`, { method: 'POST', body: 'hello' });
    expect(await replayed.json()).toMatchObject({ method: 'POST', bodyLength: 5 });
    server.killAccessToken(await tokens.getAccessToken());
    const tokensBefore = server.counts.token;
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('stream'));
        controller.close();
      },
    });
    const res = await api(`${server.resourceUrl}/items`, { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(401);
    expect(server.counts.token).toBe(tokensBefore);
  });

  it('never sends the credential to another origin on redirect', async () => {
    const api = authFetch(bearer('pat_secret_value_1'));
    const echoedBefore = other.echoed.length;
    // The resource rejects the unknown PAT before redirecting, so use a token it accepts.
    const tokens = manager();
    const res = await authFetch(tokens)(`${server.resourceUrl}/redirect?to=${encodeURIComponent(`${other.url}/echo`)}`);
    expect(res.status).toBe(200);
    const seen = other.echoed.slice(echoedBefore);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.authorization).toBeUndefined();
    expect((await api(`${other.url}/echo`)).status).toBe(200);
    expect(other.echoed.at(-1)!.authorization).toBe('Bearer pat_secret_value_1');
  });

  it('keeps the credential on a same-origin redirect', async () => {
    const res = await authFetch(manager())(`${server.resourceUrl}/redirect?status=307&to=/resource/items`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ scheme: 'access_token' });
  });

  it('a query-parameter key follows same-origin redirects and is stripped from a cross-origin one', async () => {
    const api = authFetch(apiKey({ key: 'legacy-query-key', query: 'api_key' }));
    const same = await api(`${server.resourceUrl}/redirect?to=/resource/items`);
    expect(same.status).toBe(200);
    const echoedBefore = other.echoed.length;
    const leak = `${other.url}/echo?api_key=legacy-query-key`;
    const cross = await api(`${server.resourceUrl}/redirect?to=${encodeURIComponent(leak)}`);
    expect(cross.status).toBe(200);
    expect(other.echoed.length - echoedBefore).toBe(1);
    expect(other.echoed.at(-1)![':path']).toBe('/echo');
  });

  it('a per-call subject selects that subject’s tokens', async () => {
    const tokens = manager();
    const api = authFetch(tokens);
    await api(`${server.resourceUrl}/items`, { subject: 'alice' });
    await api(`${server.resourceUrl}/items`, { subject: 'bob' });
    expect(tokenRequests()).toBe(2);
    expect(await tokens.getAccessToken('alice')).not.toBe(await tokens.getAccessToken('bob'));
  });
});
