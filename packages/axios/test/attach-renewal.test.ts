import { OAuthError } from '@auth/core';
import axios, { AxiosError } from 'axios';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { attach } from '../src/index.js';
import { bearerOf, CLIENT, type OAuthFixture, startOAuthFixture } from './fixtures.js';

const N = 200;

describe('attach: renewal on 401 through the token manager', () => {
  let fx: OAuthFixture;
  beforeEach(async () => {
    fx = await startOAuthFixture();
  });
  afterEach(async () => {
    await fx.close();
  });

  async function warmUp() {
    const api = axios.create({ baseURL: fx.api.url });
    attach(api, fx.tokens);
    await api.get('/data');
    const first = await fx.tokens.getAccessToken();
    expect(fx.tokenServer.counts.token).toBe(1);
    return { api, first };
  }

  it('sends a fresh token without asking the token manager for a promise, and asks again once it renewed', async () => {
    const { api, first } = await warmUp();
    const credential = vi.spyOn(fx.tokens, 'credential');
    try {
      for (let i = 0; i < 3; i++) await api.get('/data');
      expect(credential).not.toHaveBeenCalled();
      fx.tokenServer.killAccessToken(first);
      expect((await api.get('/data')).status).toBe(200);
      // The rejected token was dropped: the next request goes through credential() to the new one.
      await api.get('/data');
      expect(credential).toHaveBeenCalledTimes(1);
      expect(bearerOf(fx.api.hitsTo('/data').at(-1)!.headers)).toBe(await fx.tokens.getAccessToken());
    } finally {
      credential.mockRestore();
    }
  });

  it(`${N} concurrent requests whose token the API rejects: exactly 1 renewal, ${N} successes`, async () => {
    const { api, first } = await warmUp();
    fx.tokenServer.killAccessToken(first);
    // The barrier answers nobody until all N arrived: every request was sent with the dead token.
    const results = await Promise.all(Array.from({ length: N }, () => api.get(`/barrier?n=${N}`)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(fx.tokenServer.counts.token).toBe(2);
    const barrierHits = fx.api.hitsTo('/barrier');
    expect(barrierHits.filter((hit) => bearerOf(hit.headers) === first)).toHaveLength(N);
    const second = await fx.tokens.getAccessToken();
    expect(second).not.toBe(first);
    expect(fx.api.hitsTo('/data').length + barrierHits.length).toBe(1 + 2 * N);
    expect(barrierHits.filter((hit) => bearerOf(hit.headers) === second)).toHaveLength(N);
  });

  it(`${N} concurrent requests with a locally expired token: 1 token request before sending, no 401`, async () => {
    const api = axios.create({ baseURL: fx.api.url });
    attach(api, fx.tokens);
    await fx.tokens.set(undefined, {
      accessToken: 'expired-token-value',
      tokenType: 'Bearer',
      expiresAt: Date.now() - 1000,
      obtainedAt: Date.now() - 3_600_000,
    });
    const results = await Promise.all(Array.from({ length: N }, () => api.get('/data')));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(fx.tokenServer.counts.token).toBe(1);
    expect(fx.api.hitsTo('/data')).toHaveLength(N);
  });

  it(`renewal failure rejects all ${N} with the typed core error; the next request renews again`, async () => {
    const { api, first } = await warmUp();
    fx.tokenServer.killAccessToken(first);
    fx.tokenServer.script({
      status: 401,
      body: { error: 'invalid_client', error_description: 'client authentication failed' },
      delayMs: 200,
    });
    const settled = await Promise.allSettled(Array.from({ length: N }, () => api.get(`/barrier?n=${N}`)));
    expect(fx.tokenServer.counts.token).toBe(2);
    for (const result of settled) {
      expect(result.status).toBe('rejected');
      const reason = (result as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(OAuthError);
      expect(reason).not.toBeInstanceOf(AxiosError);
      expect((reason as OAuthError).error).toBe('invalid_client');
      const text = JSON.stringify(reason) + String(reason) + String((reason as Error).stack);
      expect(text).not.toContain(first);
      expect(text).not.toContain(CLIENT.clientSecret);
    }
    // The endpoint has recovered (nothing scripted): the next request renews and succeeds.
    const next = await api.get('/data');
    expect(next.status).toBe(200);
    expect(fx.tokenServer.counts.token).toBe(3);
  });

  it('a failing first token request rejects with the typed core error before anything is sent', async () => {
    const api = axios.create({ baseURL: fx.api.url });
    attach(api, fx.tokens);
    fx.tokenServer.script({ status: 400, body: { error: 'invalid_scope', error_description: 'scope not allowed' } });
    const error = await api.get('/data').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthError);
    expect((error as OAuthError).status).toBe(400);
    expect(fx.api.hits).toHaveLength(0);
    expect((await api.get('/data')).status).toBe(200);
  });

  it('a 401 after a fresh token is surfaced once, never looped', async () => {
    const { api, first } = await warmUp();
    const error = await api.get('/always-401').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AxiosError);
    expect((error as AxiosError).response?.status).toBe(401);
    const hits = fx.api.hitsTo('/always-401');
    expect(hits).toHaveLength(2);
    const second = await fx.tokens.getAccessToken();
    expect(hits.map((hit) => bearerOf(hit.headers))).toEqual([first, second]);
    expect(fx.tokenServer.counts.token).toBe(2);
    // The surfaced error's config does not carry the token.
    expect(JSON.stringify((error as AxiosError).toJSON())).not.toContain(second);
  });

  it('a 403 never triggers a renewal', async () => {
    const { api } = await warmUp();
    const error = await api.get('/forbidden').catch((e: unknown) => e);
    expect((error as AxiosError).response?.status).toBe(403);
    expect(fx.api.hitsTo('/forbidden')).toHaveLength(1);
    expect(fx.tokenServer.counts.token).toBe(1);
  });

  it('renews once when validateStatus accepts 401 (the response is not an error)', async () => {
    const { api, first } = await warmUp();
    fx.tokenServer.killAccessToken(first);
    const res = await api.get('/data', { validateStatus: () => true });
    expect(res.status).toBe(200);
    expect(fx.tokenServer.counts.token).toBe(2);
    const surfaced = await api.get('/always-401', { validateStatus: () => true });
    expect(surfaced.status).toBe(401);
    expect(fx.api.hitsTo('/always-401')).toHaveLength(2);
  });

  it('a JSON body is sent again on the retry', async () => {
    const { api, first } = await warmUp();
    fx.tokenServer.killAccessToken(first);
    const res = await api.post('/upload', { hello: 'world' });
    expect(res.data).toEqual({ size: JSON.stringify({ hello: 'world' }).length });
    expect(fx.api.hitsTo('/upload')).toHaveLength(2);
  });
});
