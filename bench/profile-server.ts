/**
 * `node --conditions=@auth/source --import tsx bench/profile-server.ts <express|fastify> <scheme|open|peer> [seconds]`
 * Runs the verification server under `--cpu-prof`, loads one route, and prints the top self-time
 * functions (the .cpuprofile stays in bench/results/profiles/ for a flame graph viewer).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { startChild } from './lib/child.js';
import type { Credentials } from './lib/fixture.js';
import { load } from './lib/load.js';

const [framework = 'fastify', scheme = 'pat', seconds = '5'] = process.argv.slice(2);
const dir = new URL('./results/profiles/', import.meta.url).pathname;
const server = await startChild<{ port: number; creds: Credentials }>(`servers/verify-${framework}.ts`, [], {
  nodeFlags: ['--cpu-prof', '--cpu-prof-interval=50', `--cpu-prof-dir=${dir}`],
});
const base = `http://127.0.0.1:${server.info.port}`;
const creds = server.info.creds as unknown as Record<string, Record<string, string>>;
const path = scheme === 'open' ? '/open' : scheme === 'peer' ? '/peer' : scheme === 'jwt' ? '/ours-jwt' : '/ours';
const headers = scheme === 'open' ? {} : creds[scheme]!;
const r = await load({ url: base + path, headers, duration: Number(seconds) });
await server.stop();
// The server's main thread wrote the largest profile (tsx's loader thread writes a small one too).
const latest = readdirSync(dir)
  .filter((f) => f.endsWith('.cpuprofile') && f.includes(`.${server.proc.pid}.`))
  .sort((a, b) => statSync(dir + b).size - statSync(dir + a).size)[0]!;
const prof = JSON.parse(readFileSync(dir + latest, 'utf8')) as {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount: number }[];
};
const total = prof.nodes.reduce((s, n) => s + n.hitCount, 0);
const self = new Map<string, number>();
for (const n of prof.nodes) {
  const f = n.callFrame;
  const key = `${f.functionName || '(anon)'} ${f.url.replace(/.*node_modules\//, '').replace(/.*\/work\/main\//, '')}:${f.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + n.hitCount);
}
console.log(`${framework} ${scheme}: ${Math.round(r.rps)} req/s; profile ${latest}`);
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
