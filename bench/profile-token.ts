/**
 * `node --import tsx bench/profile-token.ts [sqlite|postgres <url>] [client_credentials|refresh_token] [seconds] [--http=node]`:
 * our token endpoint under `--cpu-prof` (refresh_token: each connection rotates its own family); prints the
 * top self-time functions. Profiles stay in bench/results/profiles/. Postgres: a connection string whose
 * search_path names an empty schema (the store migrates it).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { startChild } from './lib/child.js';
import { load } from './lib/load.js';
import { FamilyPool } from './sections/token.js';

const http = process.argv.filter((a) => a.startsWith('--http='));
const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const store = args[0] ?? 'sqlite';
const storeArgs = [...(store === 'postgres' ? [store, args.splice(1, 1)[0]!] : [store]), ...http];
const [grant = 'client_credentials', seconds = '4'] = args.slice(1);
const connections = 8;
process.env.BENCH_FAMILIES = String(connections * 2);
const dir = new URL('./results/profiles/', import.meta.url).pathname;
const s = await startChild<{ port: number; basic: string; path: string; refreshTokens: string[] }>('servers/token-ours.ts', storeArgs, {
  nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`],
});
const headers = { authorization: s.info.basic, 'content-type': 'application/x-www-form-urlencoded' };
const base = `http://127.0.0.1:${s.info.port}`;
const r = await load({
  url: base + s.info.path,
  method: 'POST',
  headers,
  body: 'grant_type=client_credentials&scope=read',
  duration: Number(seconds),
  connections,
  ...(grant === 'refresh_token' ? { requests: new FamilyPool(s.info.refreshTokens).requests(s.info.path, headers) } : {}),
});
await s.stop();
const file = readdirSync(dir)
  .filter((f) => f.endsWith('.cpuprofile') && f.includes(`.${s.proc.pid}.`))
  .sort((a, b) => statSync(dir + b).size - statSync(dir + a).size)[0]!;
const prof = JSON.parse(readFileSync(dir + file, 'utf8')) as {
  nodes: { callFrame: { functionName: string; url: string; lineNumber: number }; hitCount: number }[];
};
const total = prof.nodes.reduce((a, n) => a + n.hitCount, 0);
const self = new Map<string, number>();
for (const n of prof.nodes) {
  const f = n.callFrame;
  const key = `${f.functionName || '(anon)'} ${f.url.replace(/.*node_modules\//, '').replace(/.*\/work\/main\//, '')}:${f.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + n.hitCount);
}
console.log(`${store} ${grant}: ${Math.round(r.rps)} grants/s, ${r.non2xx} non-2xx; profile ${file}`);
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
