import { apiKey, bearer, ConfigError } from '@auth/core';
import axios, { AxiosError } from 'axios';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attach } from '../src/index.js';
import { useTwoApiServers } from './api-server.js';
import { bearerOf, type OAuthFixture, startOAuthFixture } from './fixtures.js';

describe('per-request opt-out, stream bodies, eject', () => {
  let fx: OAuthFixture;
  beforeEach(async () => {
    fx = await startOAuthFixture();
  });
  afterEach(async () => {
    await fx.close();
  });

  it('skipAuth: true sends no credential and never renews', async () => {
    const api = axios.create({ baseURL: fx.api.url });
    attach(api, fx.tokens);
    const error = await api.get('/data', { skipAuth: true }).catch((e: unknown) => e);
    expect((error as AxiosError).response?.status).toBe(401);
    expect(fx.api.hitsTo('/data')).toHaveLength(1);
    expect(fx.api.hitsTo('/data')[0]?.headers.authorization).toBeUndefined();
    expect(fx.tokenServer.counts.token).toBe(0);
    // A header the caller sets is left alone when the request opts out.
    await api.get('/echo', { skipAuth: true, headers: { Authorization: 'Basic own' } });
    expect(fx.api.hitsTo('/echo')[0]?.headers.authorization).toBe('Basic own');
  });

  it('a stream body is not retried: the 401 is surfaced', async () => {
    const api = axios.create({ baseURL: fx.api.url });
    attach(api, fx.tokens);
    await api.get('/data');
    fx.tokenServer.killAccessToken(await fx.tokens.getAccessToken());
    const error = await api
      .post('/upload', Readable.from([Buffer.from('chunk-1'), Buffer.from('chunk-2')]), {
        headers: { 'content-type': 'application/octet-stream' },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AxiosError);
    expect((error as AxiosError).response?.status).toBe(401);
    expect(fx.api.hitsTo('/upload')).toHaveLength(1);
    expect(fx.tokenServer.counts.token).toBe(1);
  });

  it('eject removes both interceptors', async () => {
    const api = axios.create({ baseURL: fx.api.url });
    const requestHandlers = () => (api.interceptors.request.handlers ?? []).filter(Boolean).length;
    const responseHandlers = () => (api.interceptors.response.handlers ?? []).filter(Boolean).length;
    const auth = attach(api, fx.tokens);
    expect([requestHandlers(), responseHandlers()]).toEqual([1, 1]);
    await api.get('/data');
    auth.eject();
    auth.eject();
    expect([requestHandlers(), responseHandlers()]).toEqual([0, 0]);
    const error = await api.get('/data').catch((e: unknown) => e);
    expect((error as AxiosError).response?.status).toBe(401);
    expect(fx.api.hitsTo('/data')[1]?.headers.authorization).toBeUndefined();
    expect(fx.tokenServer.counts.token).toBe(1);
  });

  it('authSubject selects delegated tokens per request', async () => {
    const api = axios.create({ baseURL: fx.api.url });
    const asked: (string | undefined)[] = [];
    attach(api, {
      ...bearer('static-token'),
      credential: async (options) => {
        asked.push(options?.subject);
        return { headers: { Authorization: 'Bearer t' }, query: {}, token: 't', subject: options?.subject };
      },
    }, { subject: 'default-user' });
    await api.get('/echo');
    await api.get('/echo', { authSubject: 'user-42' });
    expect(asked).toEqual(['default-user', 'user-42']);
  });
});

describe('origin allow-list', () => {
  const servers = useTwoApiServers();

  it('defaults to the baseURL origin: absolute URLs elsewhere get no credential', async () => {
    const api = axios.create({ baseURL: `${servers.a.url}/v1` });
    attach(api, bearer('personal-token'));
    await api.get('/echo', { validateStatus: () => true });
    await api.get(`${servers.b.url}/echo`);
    expect(servers.a.hits[0]?.path).toBe('/v1/echo');
    expect(servers.a.hits[0]?.headers.authorization).toBe('Bearer personal-token');
    expect(servers.b.hitsTo('/echo')[0]?.headers.authorization).toBeUndefined();
  });

  it('origins lists every origin that may receive the credential', async () => {
    const api = axios.create();
    attach(api, apiKey({ key: 'legacy-key' }), { origins: [servers.b.url] });
    await api.get(`${servers.a.url}/echo`);
    await api.get(`${servers.b.url}/echo`);
    expect(servers.a.hitsTo('/echo')[0]?.headers['x-api-key']).toBeUndefined();
    expect(servers.b.hitsTo('/echo')[0]?.headers['x-api-key']).toBe('legacy-key');
  });

  it('an instance without baseURL needs origins', () => {
    expect(() => attach(axios.create(), bearer('t'))).toThrow(ConfigError);
    expect(() => attach(axios.create(), bearer('t'), { origins: [] })).toThrow(ConfigError);
    expect(() => attach(axios.create(), bearer('t'), { origins: ['not a url'] })).toThrow(ConfigError);
    expect(() => attach(axios.create({ baseURL: servers.a.url }), {} as never)).toThrow(ConfigError);
  });

  it('a per-request baseURL cannot widen the allow-list', async () => {
    const api = axios.create({ baseURL: servers.a.url });
    attach(api, bearer('personal-token'));
    await api.get('/echo', { baseURL: servers.b.url });
    expect(bearerOf(servers.b.hitsTo('/echo')[0]?.headers ?? {})).toBe('');
  });
});
