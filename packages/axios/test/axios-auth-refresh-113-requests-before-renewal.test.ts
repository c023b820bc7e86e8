import axios from 'axios';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { attach } from '../src/index.js';
import { bearerOf, type OAuthFixture, startOAuthFixture } from './fixtures.js';

// axios-auth-refresh issues #113 and #123: a request sent before the refresh began, whose 401 arrives
// after the refresh finished, is dropped (or refreshes again). Here it must retry with the new token.

let fx: OAuthFixture;
beforeEach(async () => {
  fx = await startOAuthFixture();
});
afterEach(async () => {
  await fx.close();
});

it('requests sent before the renewal began, rejected after it finished, retry with the new token without a second renewal', async () => {
  const api = axios.create({ baseURL: fx.api.url });
  attach(api, fx.tokens);
  await api.get('/data');
  const first = await fx.tokens.getAccessToken();
  fx.tokenServer.killAccessToken(first);

  const held = fx.api.hold();
  const early = Array.from({ length: 5 }, () => api.get('/held'));
  await held.received(5);

  // Meanwhile another request gets its 401 and the renewal runs to completion.
  const trigger = await api.get('/data');
  expect(trigger.status).toBe(200);
  expect(fx.tokenServer.counts.token).toBe(2);
  const second = await fx.tokens.getAccessToken();
  expect(second).not.toBe(first);

  // Now the early requests get their 401 (they carried the old token).
  held.release();
  const results = await Promise.all(early);
  expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
  expect(fx.tokenServer.counts.token).toBe(2);
  const hits = fx.api.hitsTo('/held').map((hit) => bearerOf(hit.headers));
  expect(hits.filter((t) => t === first)).toHaveLength(5);
  expect(hits.filter((t) => t === second)).toHaveLength(5);
});
