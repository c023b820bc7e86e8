import { startTokenServer, type TokenServer } from '@auth/testkit';
import axios, { AxiosError } from 'axios';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { attach, clientCredentials, createTokenManager } from '../src/index.js';
import { CLIENT } from './fixtures.js';

// The token manager talks to the token endpoint with fetch, never through the axios instance, so its
// own requests are never intercepted. An instance that is itself pointed at the token endpoint is
// still bounded: one renewal, one retry, then the 401 is surfaced.

let server: TokenServer;
beforeEach(async () => {
  server = await startTokenServer({ clients: [CLIENT] });
});
afterEach(async () => {
  await server.close();
});

const form = 'grant_type=client_credentials&client_id=client&client_secret=wrong';
const headers = { 'content-type': 'application/x-www-form-urlencoded' };

it('token requests made by the token manager do not pass through the axios interceptors', async () => {
  const api = axios.create({ baseURL: server.url });
  let intercepted = 0;
  api.interceptors.request.use((config) => {
    intercepted++;
    return config;
  });
  const tokens = createTokenManager(clientCredentials({ tokenEndpoint: server.tokenEndpoint, ...CLIENT }));
  attach(api, tokens);
  await api.get('/echo');
  expect(server.counts.token).toBe(1);
  expect(intercepted).toBe(1);
});

it('an axios call to the token endpoint itself is retried at most once, and not at all with skipAuth', async () => {
  const api = axios.create({ baseURL: server.url });
  attach(api, createTokenManager(clientCredentials({ tokenEndpoint: server.tokenEndpoint, ...CLIENT })));
  const error = await api.post('/token', form, { headers }).catch((e: unknown) => e);
  expect((error as AxiosError).response?.status).toBe(401);
  // 1 token for the first attempt, our POST, 1 renewal, our retried POST.
  expect(server.counts.token).toBe(4);
  const viaAxios = server.tokenRequests.filter((r) => r.params.client_secret === 'wrong');
  expect(viaAxios).toHaveLength(2);

  const skipped = await api.post('/token', form, { headers, skipAuth: true }).catch((e: unknown) => e);
  expect(skipped).toBeInstanceOf(AxiosError);
  expect(server.counts.token).toBe(5);
  expect(server.tokenRequests.at(-1)?.authorization).toBeNull();
});
