/**
 * Child process: (3) the client token manager. Cached `getAccessToken()` ops/s with tinybench, and a
 * stampede of N concurrent callers on an expired token against a real token endpoint on loopback
 * (counting the requests it receives). argv: rounds, tinybench time per task (ms), callers.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { clientCredentials, createTokenManager, type Grant, type TokenSet } from '@auth/core';
import { Bench } from 'tinybench';
import { result } from '../lib/child.js';
import { median } from '../lib/stats.js';

const [rounds = 3, timeMs = 1000, callers = 10_000] = process.argv.slice(2).map(Number);

// A grant that never needs the network: the cached path is all that runs.
const fresh = (): TokenSet => ({ accessToken: 'at_cached', tokenType: 'Bearer', expiresAt: Date.now() + 3_600_000, obtainedAt: Date.now() });
const offline: Grant = {
  grantType: 'client_credentials',
  identity: 'bench:offline',
  requestToken: async () => fresh(),
  refresh: async () => fresh(),
  revokeToken: async () => {},
};

const cached: number[] = [];
const cachedSubject: number[] = [];
for (let r = 0; r < rounds; r++) {
  const tokens = createTokenManager(offline);
  await tokens.getAccessToken();
  await tokens.getAccessToken('user-42');
  const bench = new Bench({ time: timeMs, warmupTime: Math.min(300, timeMs) });
  bench.add('cached getAccessToken()', async () => {
    await tokens.getAccessToken();
  });
  bench.add('cached getAccessToken(subject)', async () => {
    await tokens.getAccessToken('user-42');
  });
  await bench.run();
  const hz = (i: number) => {
    const res = bench.tasks[i]!.result as unknown as { throughput?: { mean: number }; hz?: number };
    return res.throughput?.mean ?? res.hz ?? Number.NaN;
  };
  cached.push(hz(0));
  cachedSubject.push(hz(1));
}

// Stampede: a real token endpoint that answers after 20 ms, and an expired token in the cache.
let requests = 0;
const server = createServer((req, res) => {
  requests++;
  req.resume();
  req.on('end', () =>
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ access_token: `at_${requests}`, token_type: 'Bearer', expires_in: 3600 }));
    }, 20),
  );
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const tokenEndpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
const stampedeMs: number[] = [];
const stampedeRequests: number[] = [];
for (let r = 0; r < rounds; r++) {
  const tokens = createTokenManager(clientCredentials({ tokenEndpoint, clientId: 'c', clientSecret: 's' }));
  await tokens.set(undefined, { accessToken: 'at_expired', tokenType: 'Bearer', expiresAt: Date.now() - 1000, obtainedAt: Date.now() - 3_601_000 });
  requests = 0;
  const t0 = performance.now();
  const all = await Promise.all(Array.from({ length: callers }, () => tokens.getAccessToken()));
  stampedeMs.push(performance.now() - t0);
  stampedeRequests.push(requests);
  if (new Set(all).size !== 1 || all[0] === 'at_expired') throw new Error('callers did not all get the one new token');
}
server.close();
result({
  cachedOpsPerSec: median(cached),
  cachedOpsPerRound: cached,
  cachedSubjectOpsPerSec: median(cachedSubject),
  stampede: { callers, ms: median(stampedeMs), msPerRound: stampedeMs, requests: stampedeRequests, serverDelayMs: 20 },
});
