/**
 * `node --import tsx bench/ab-token.ts [client_credentials|refresh_token] [node|fastify] [rounds] [NAME:ENV=1,...]...`:
 * an A/B of our token endpoint on SQLite, server variants that differ only in their environment (a
 * temporary knob read from `process.env` while iterating on a fix, say `A:` `B:MY_KNOB=1`; by default `A:`
 * and `B:`, two identical servers: an A/A run, which shows the noise floor). Every variant runs in its own
 * server process; samples of 2 s alternate (the order reverses each round), and each variant prints its
 * server CPU µs per grant per sample and the median.
 */
import { type Started, startChild } from './lib/child.js';
import { type Sample, sample } from './lib/load.js';
import { FamilyPool } from './sections/token.js';

interface ServerInfo {
  port: number;
  basic: string;
  path: string;
  refreshTokens: string[];
}
interface Variant {
  name: string;
  server: Started<ServerInfo>;
  pool: FamilyPool;
}

const [grant = 'refresh_token', http = 'node', roundsArg = '6', ...variantArgs] = process.argv.slice(2);
const SAMPLE_SECONDS = 2;
process.env.BENCH_FAMILIES = '16';

const variants: Variant[] = [];
for (const spec of variantArgs.length ? variantArgs : ['A:', 'B:']) {
  const name = spec.slice(0, spec.indexOf(':'));
  const saved = { ...process.env };
  for (const assignment of spec.slice(spec.indexOf(':') + 1).split(',').filter(Boolean)) {
    const [key, value = ''] = assignment.split('=');
    process.env[key!] = value;
  }
  const server = await startChild<ServerInfo>('servers/token-ours.ts', ['sqlite', ...(http === 'node' ? ['--http=node'] : [])]);
  process.env = saved;
  variants.push({ name, server, pool: new FamilyPool(server.info.refreshTokens) });
}

async function measure(v: Variant): Promise<Sample> {
  const { info } = v.server;
  const base = `http://127.0.0.1:${info.port}`;
  const headers = { authorization: info.basic, 'content-type': 'application/x-www-form-urlencoded' };
  if (grant !== 'refresh_token') {
    const body = 'grant_type=client_credentials&scope=read';
    return sample(base, { url: base + info.path, method: 'POST', headers, body, duration: SAMPLE_SECONDS, connections: 8 });
  }
  await v.pool.refill(base);
  return sample(base, { url: base + info.path, duration: SAMPLE_SECONDS, connections: 8, requests: v.pool.requests(info.path, headers) });
}

for (const v of variants) await measure(v); // warm-up
const cpu = new Map<string, number[]>(variants.map((v) => [v.name, []]));
for (let round = 0; round < Number(roundsArg); round++) {
  for (const v of round % 2 ? [...variants].reverse() : variants) cpu.get(v.name)!.push((await measure(v)).cpuPerReq);
}
for (const [name, values] of cpu) {
  const median = [...values].sort((a, b) => a - b)[values.length >> 1]!;
  console.log(`${name} µs/grant ${values.map((x) => x.toFixed(0)).join(' ')}; median ${median.toFixed(1)}`);
}
for (const v of variants) await v.server.stop();
