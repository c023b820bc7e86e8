import { apiKey, bearer, secret } from '@auth/core';
import { startTokenServer, type TokenServer } from '@auth/testkit';
import axios, { AxiosError } from 'axios';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attach } from '../src/index.js';

// Every static scheme, checked by the testkit resource server that implements the seed docs.
describe('static schemes arrive as the seeds describe', () => {
  let server: TokenServer;
  beforeEach(async () => {
    server = await startTokenServer({
      apiKeys: [{ key: 'kz-key', businessId: 'biz-1', userId: 'user-1' }],
      legacyApiKeys: ['legacy-key'],
      personalTokens: ['pat-token'],
      secrets: ['wJalrXUtnFEMI0O6JX5MCkmbs6JqPcx3'],
    });
  });
  afterEach(async () => {
    await server.close();
  });

  const cases = [
    {
      name: 'seed 000: X-API-KEY + X-BUSINESS-ID + X-USER-ID',
      source: () => apiKey({ key: 'kz-key', businessId: 'biz-1', userId: 'user-1' }),
      scheme: 'api_key',
      echoed: { 'x-api-key': 'kz-key', 'x-business-id': 'biz-1', 'x-user-id': 'user-1' },
    },
    {
      name: 'seed 002: X-API-Key',
      source: () => apiKey({ key: 'legacy-key' }),
      scheme: 'legacy_api_key',
      echoed: { 'x-api-key': 'legacy-key' },
    },
    {
      name: 'seed 002: api_key query parameter',
      source: () => apiKey({ key: 'legacy-key', query: 'api_key' }),
      scheme: 'legacy_api_key',
      echoed: { ':path': '/echo?page=1&api_key=legacy-key' },
    },
    {
      name: 'seeds 003/004: Authorization: Bearer <personal token>',
      source: () => bearer('pat-token'),
      scheme: 'personal_token',
      echoed: { authorization: 'Bearer pat-token' },
    },
    {
      name: 'seed 003: Authorization: Secret <secret>',
      source: () => secret('wJalrXUtnFEMI0O6JX5MCkmbs6JqPcx3'),
      scheme: 'secret',
      echoed: { authorization: 'Secret wJalrXUtnFEMI0O6JX5MCkmbs6JqPcx3' },
    },
  ];

  for (const { name, source, scheme, echoed } of cases) {
    it(name, async () => {
      const api = axios.create({ baseURL: server.url });
      attach(api, source());
      const { data } = await api.get('/resource');
      expect(data.scheme).toBe(scheme);
      await api.get('/echo', { params: { page: 1 } });
      expect(server.echoed[0]).toMatchObject(echoed);
    });
  }

  it('a static source is not renewed: its 401 is surfaced after one request, without the secret', async () => {
    const api = axios.create({ baseURL: server.url });
    attach(api, apiKey({ key: 'revoked-key', businessId: 'biz-1', userId: 'user-1' }));
    const error = await api.get('/resource').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AxiosError);
    expect((error as AxiosError).response?.status).toBe(401);
    expect(server.counts.resource).toBe(1);
    expect(JSON.stringify((error as AxiosError).toJSON())).not.toContain('revoked-key');
  });
});
