import { startTokenServer, type TokenServer } from '../../../testkit/src/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKey, authFetch, bearer, secret } from '../../src/client/index.js';
import { ConfigError } from '../../src/errors.js';

const KEY = 'ak_live_0123456789abcdef';
let server: TokenServer;

beforeAll(async () => {
  server = await startTokenServer({
    apiKeys: [{ key: KEY, businessId: 'biz-42', userId: 'user-7' }],
    legacyApiKeys: ['legacy-key-1'],
    personalTokens: ['pat_personal_1'],
    secrets: ['wJalrXUtnFEMI0O6JX5MCkmbs6JqPcx3'],
  });
});
afterAll(() => server.close());

async function call(source: Parameters<typeof authFetch>[0]) {
  const res = await authFetch(source)(`${server.resourceUrl}/items`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('credential sources reach the resource with the headers the seeds describe', () => {
  it('seed 000: X-API-KEY, X-BUSINESS-ID and X-USER-ID together', async () => {
    const source = apiKey({ key: KEY, businessId: 'biz-42', userId: 'user-7' });
    expect((await source.credential()).headers).toEqual({
      'X-API-KEY': KEY,
      'X-BUSINESS-ID': 'biz-42',
      'X-USER-ID': 'user-7',
    });
    expect(await call(source)).toEqual({ status: 200, body: expect.objectContaining({ scheme: 'api_key', businessId: 'biz-42', userId: 'user-7' }) });
  });

  it('seed 000: a wrong business id is refused by the resource', async () => {
    expect((await call(apiKey({ key: KEY, businessId: 'other', userId: 'user-7' }))).status).toBe(401);
  });

  it('seed 002: a single X-API-Key header (the default) or a custom header name', async () => {
    expect(await call(apiKey({ key: 'legacy-key-1' }))).toMatchObject({ status: 200, body: { scheme: 'legacy_api_key' } });
    expect(await call(apiKey({ key: 'legacy-key-1', header: 'X-API-Key' }))).toMatchObject({ status: 200 });
  });

  it('seed 002: an api_key query parameter', async () => {
    const source = apiKey({ key: 'legacy-key-1', query: 'api_key' });
    expect((await source.credential()).query).toEqual({ api_key: 'legacy-key-1' });
    expect(await call(source)).toMatchObject({ status: 200, body: { scheme: 'legacy_api_key' } });
  });

  it('seeds 003/004: Authorization: Bearer <personal token>', async () => {
    expect((await bearer('pat_personal_1').credential()).headers).toEqual({ Authorization: 'Bearer pat_personal_1' });
    expect(await call(bearer('pat_personal_1'))).toMatchObject({ status: 200, body: { scheme: 'personal_token' } });
  });

  it('static sources answer credentialNow with what credential() resolves to', async () => {
    for (const source of [bearer('pat_personal_1'), secret('wJalrXUtnFEMI0O6JX5MCkmbs6JqPcx3'), apiKey({ key: 'legacy-key-1' })]) {
      expect(source.credentialNow?.()).toBe(await source.credential());
      // Not enumerable: a source spread from it with its own credential() does not inherit the answer.
      const mine = { ...source, credential: async () => ({ headers: {}, query: {}, token: 'mine', subject: undefined }) };
      expect(mine.credentialNow).toBeUndefined();
    }
  });

  it('seed 003: Authorization: Secret <secret>', async () => {
    const source = secret('wJalrXUtnFEMI0O6JX5MCkmbs6JqPcx3');
    expect((await source.credential()).headers).toEqual({ Authorization: 'Secret wJalrXUtnFEMI0O6JX5MCkmbs6JqPcx3' });
    expect(await call(source)).toMatchObject({ status: 200, body: { scheme: 'secret' } });
  });

  it('static sources cannot renew: a 401 is surfaced after exactly one request', async () => {
    const before = server.counts.resource;
    const source = bearer('pat_unknown');
    expect(source.renewable).toBe(false);
    expect((await call(source)).status).toBe(401);
    expect(server.counts.resource - before).toBe(1);
    expect(await source.renew(await source.credential())).toBeNull();
  });
});

describe('credential sources validate at construction', () => {
  it('requires userId together with businessId (and the other way round)', () => {
    // @ts-expect-error userId is required with businessId
    expect(() => apiKey({ key: KEY, businessId: 'b' })).toThrow(ConfigError);
    // @ts-expect-error businessId is required with userId
    expect(() => apiKey({ key: KEY, userId: 'u' })).toThrow(ConfigError);
  });

  it('refuses empty keys, header injection, bad header names and mixed placements without echoing the key', () => {
    expect(() => apiKey({ key: '' })).toThrow(ConfigError);
    expect(() => apiKey({ key: 'abc\r\nX-Evil: 1' })).toThrow(ConfigError);
    expect(() => apiKey({ key: KEY, businessId: 'b\n', userId: 'u' })).toThrow(ConfigError);
    expect(() => apiKey({ key: KEY, header: 'Bad Header' })).toThrow(ConfigError);
    // @ts-expect-error header and query are exclusive
    expect(() => apiKey({ key: KEY, header: 'X-Key', query: 'k' })).toThrow(ConfigError);
    expect(() => bearer('two words')).toThrow(ConfigError);
    expect(() => secret('')).toThrow(ConfigError);
    try {
      apiKey({ key: `${KEY} with space` });
    } catch (err) {
      expect(String((err as Error).message)).not.toContain(KEY);
    }
  });
});
