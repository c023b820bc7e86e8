/**
 * Child process: (4) axios clients against the echo server. argv: port, rounds, requests per sample.
 * Each sample sends N requests, 16 in flight, over a keep-alive agent; contenders are interleaved per round.
 * Reports requests/s and this (client) process's CPU time per request.
 */
import { Agent } from 'node:http';
import { attach, bearer, createTokenManager, type Grant, type TokenSet } from '@auth/axios';
import axios, { type AxiosInstance } from 'axios';
import createAuthRefreshInterceptorModule from 'axios-auth-refresh';
import { result } from '../lib/child.js';
import { balancedOrder, median } from '../lib/stats.js';

const createAuthRefreshInterceptor =
  (createAuthRefreshInterceptorModule as unknown as { default?: typeof createAuthRefreshInterceptorModule }).default ??
  createAuthRefreshInterceptorModule;
const [port, rounds, perSample] = process.argv.slice(2).map(Number) as [number, number, number];
const baseURL = `http://127.0.0.1:${port}`;
const TOKEN = 'at_bench_0123456789abcdef';
const make = () => axios.create({ baseURL, httpAgent: new Agent({ keepAlive: true, maxSockets: 16 }) });

const fresh = (): TokenSet => ({ accessToken: TOKEN, tokenType: 'Bearer', expiresAt: Date.now() + 3_600_000, obtainedAt: Date.now() });
const grant: Grant = {
  grantType: 'client_credentials',
  identity: 'bench:axios',
  requestToken: async () => fresh(),
  refresh: async () => fresh(),
  revokeToken: async () => {},
};

const raw = make();
raw.defaults.headers.common.Authorization = `Bearer ${TOKEN}`;
const oursManager = make();
attach(oursManager, createTokenManager(grant));
const oursStatic = make();
attach(oursStatic, bearer(TOKEN));
const peer = make();
let peerToken = TOKEN;
peer.interceptors.request.use((config) => {
  config.headers.Authorization = `Bearer ${peerToken}`;
  return config;
});
createAuthRefreshInterceptor(peer, async () => {
  peerToken = TOKEN;
});

const contenders: [string, AxiosInstance][] = [
  ['raw axios (header set by hand)', raw],
  ['@auth/axios attach(token manager)', oursManager],
  ['@auth/axios attach(bearer)', oursStatic],
  ['axios-auth-refresh 3 (+ request interceptor)', peer],
];

async function run(api: AxiosInstance, n: number) {
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next++ < n) {
        const r = await api.get('/v1/items');
        if (r.status !== 200) throw new Error(`status ${r.status}`);
      }
    }),
  );
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { rps: (n * 1000) / ms, cpuPerReq: (cpu.user + cpu.system) / n };
}

for (const [, api] of contenders) await run(api, Math.min(1000, perSample));
const samples = new Map(contenders.map(([name]) => [name, [] as { rps: number; cpuPerReq: number }[]]));
for (let r = 0; r < rounds; r++) {
  for (const [name, api] of balancedOrder(contenders, r)) samples.get(name)!.push(await run(api, perSample));
}
const base = samples.get(contenders[0]![0])!;
result(
  contenders.map(([name]) => {
    const s = samples.get(name)!;
    return {
      name,
      rps: median(s.map((x) => x.rps)),
      cpuPerReq: median(s.map((x) => x.cpuPerReq)),
      overhead: median(s.map((x, i) => 1 - x.rps / base[i]!.rps)),
      cpuOverhead: median(s.map((x, i) => x.cpuPerReq / base[i]!.cpuPerReq - 1)),
      overheadPerRound: s.map((x, i) => 1 - x.rps / base[i]!.rps),
    };
  }),
);
