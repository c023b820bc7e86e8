/**
 * `node --import tsx bench/ab-token.ts [client_credentials|refresh_token] [node|fastify] [rounds] [NAME:ENV=1,...]...`:
 * an A/B of our token endpoint on SQLite, server variants that differ only in their environment (a
 * temporary knob read from `process.env` while iterating on a fix, say `A:` `B:MY_KNOB=1`; by default `A:`
 * and `B:`, two identical servers: an A/A run, which shows the noise floor). Every variant runs in its own server process; samples of
 * 2 s alternate (the order reverses each round) and each prints its server CPU µs per grant and the median.
 */
import { startChild, type Started } from './lib/child.js';
import { sample } from './lib/load.js';
import { FamilyPool } from './sections/token.js';
const [grant = 'refresh_token', http = 'node', roundsArg = '6', ...variants] = process.argv.slice(2);
process.env.BENCH_FAMILIES = '16';
const servers: { name: string; s: Started<any>; pool?: FamilyPool }[] = [];
for (const v of variants.length ? variants : ['A:', 'B:']) {
  const [name, envs] = [v.split(':')[0]!, v.slice(v.indexOf(':') + 1)];
  const saved = { ...process.env };
  for (const kv of envs.split(',').filter(Boolean)) { const [k, val] = kv.split('='); process.env[k!] = val; }
  const s = await startChild<any>('servers/token-ours.ts', ['sqlite', ...(http === 'node' ? ['--http=node'] : [])]);
  process.env = saved;
  servers.push({ name, s, pool: s.info.refreshTokens ? new FamilyPool(s.info.refreshTokens) : undefined });
}
const res = new Map<string, number[]>();
async function one(x: (typeof servers)[number], duration: number) {
  const base = `http://127.0.0.1:${x.s.info.port}`;
  const headers = { authorization: x.s.info.basic, 'content-type': 'application/x-www-form-urlencoded' };
  if (grant === 'refresh_token') await x.pool!.refill(base);
  return sample(base, { url: base + x.s.info.path, method: 'POST', headers, body: 'grant_type=client_credentials&scope=read', duration, connections: 8,
    ...(grant === 'refresh_token' ? { requests: x.pool!.requests(x.s.info.path, headers) } : {}) });
}
for (const x of servers) await one(x, 2);
for (let r = 0; r < Number(roundsArg); r++) {
  const order = r % 2 ? [...servers].reverse() : servers;
  for (const x of order) { const m = await one(x, 2); (res.get(x.name) ?? res.set(x.name, []).get(x.name)!).push(m.cpuPerReq); }
}
for (const [k, v] of res) console.log(k, 'µs/grant', v.map((x) => x.toFixed(0)).join(' '), 'median', [...v].sort((a, b) => a - b)[v.length >> 1]!.toFixed(1));
for (const x of servers) await x.s.stop();
