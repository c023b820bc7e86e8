import { spawn } from 'node:child_process';
import { startChild } from './lib/child.js';
import { load } from './lib/load.js';
import { FamilyPool } from './sections/token.js';
const grant = process.argv[2] ?? 'refresh_token';
process.env.BENCH_FAMILIES = '16';
const s = await startChild<any>('servers/token-ours.ts', ['sqlite', '--http=node']);
const headers = { authorization: s.info.basic, 'content-type': 'application/x-www-form-urlencoded' };
const base = `http://127.0.0.1:${s.info.port}`;
const opts = { url: base + s.info.path, method: 'POST', headers, body: 'grant_type=client_credentials&scope=read', duration: 2, connections: 8,
  ...(grant === 'refresh_token' ? { requests: new FamilyPool(s.info.refreshTokens).requests(s.info.path, headers) } : {}) };
await load(opts);
// child pid is the taskset's exec'd node (same pid)
const st = spawn('strace', [...(process.env.ST_ARGS ? process.env.ST_ARGS.split(' ') : ['-c']), '-f', '-p', String(s.proc.pid), '-o', `/tmp/strace-${grant}.txt`], { stdio: 'inherit' });
await new Promise((r) => setTimeout(r, 500));
const r = await load({ ...opts, duration: 3 });
st.kill('SIGINT');
await new Promise((r) => st.once('exit', r));
console.log(grant, 'requests', r.total, 'rps', Math.round(r.rps));
await s.stop();
