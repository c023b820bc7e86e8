/**
 * `pnpm bench [--quick] [--only=verify,token,client,axios,memory,instructions] [--rounds=N] [--label=text]`
 *
 * `instructions` (section 1b, under valgrind's callgrind) runs only when named in `--only`.
 *
 * Runs every benchmark against its peer in the same run, interleaved over rounds, and writes a markdown
 * table and the raw JSON to bench/results/<timestamp>.{md,json}. Not part of the unit test run.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { LOAD_CPUS, SERVER_CPU } from './lib/child.js';
import { renderTable } from './lib/report.js';

export interface Mode {
  name: 'quick' | 'full';
  rounds: number;
  /** Seconds per load sample. */
  duration: number;
  /** Seconds of warm-up per contender before the rounds. */
  warmup: number;
  /** Requests per client-side axios sample. */
  axiosRequests: number;
}

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const only = argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const label = argv.find((a) => a.startsWith('--label='))?.slice(8);
const mode: Mode = quick
  ? { name: 'quick', rounds: 1, duration: 0.5, warmup: 0.5, axiosRequests: 1000 }
  : { name: 'full', rounds: 5, duration: 2, warmup: 1.5, axiosRequests: 4000 };
const roundsArg = argv.find((a) => a.startsWith('--rounds='));
if (roundsArg) mode.rounds = Math.max(1, Math.min(50, Number(roundsArg.slice(9)) || mode.rounds));
const want = (s: string) => !only || only.includes(s);
const log = (s: string) => process.stderr.write(`${s}\n`);

// The load generator stays off the servers' core.
if (LOAD_CPUS && !process.env.AUTH_BENCH_PINNED) {
  try {
    execSync(`taskset -pc ${LOAD_CPUS} ${process.pid}`, { stdio: 'ignore' });
  } catch {}
}

const here = fileURLToPath(new URL('.', import.meta.url));
const version = (p: string) => {
  try {
    return (JSON.parse(readFileSync(`${here}node_modules/${p}/package.json`, 'utf8')) as { version: string }).version;
  } catch {
    return 'n/a';
  }
};
const cpuModel = (() => {
  try {
    return /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model;
  } catch {
    return cpus()[0]?.model;
  }
})();

const started = new Date();
const loadBefore = loadavg();
const results: Record<string, unknown> = {};
const t0 = Date.now();
log(`bench: ${mode.name} mode${only ? ` (only ${only.join(',')})` : ''}; load average ${loadBefore.map((x) => x.toFixed(2)).join(' ')}`);

if (want('verify')) {
  const { benchVerify } = await import('./sections/verify.js');
  results.verify = await benchVerify(mode, log);
}
// Opt-in (valgrind, a few minutes a round): only when named in --only.
if (only?.includes('instructions')) {
  const { benchInstructions } = await import('./sections/instructions.js');
  results.instructions = await benchInstructions(mode, log);
}
if (want('token')) {
  const { benchToken } = await import('./sections/token.js');
  results.token = await benchToken(mode, log);
}
if (want('client')) {
  const { benchClient } = await import('./sections/client.js');
  results.client = await benchClient(mode, log);
}
if (want('axios')) {
  const { benchAxios } = await import('./sections/axios.js');
  results.axios = await benchAxios(mode, log);
}
if (want('memory')) {
  const { benchMemory } = await import('./sections/memory.js');
  results.memory = await benchMemory(mode, log);
}

const meta = {
  date: started.toISOString(),
  mode: mode.name,
  label,
  seconds: Math.round((Date.now() - t0) / 1000),
  machine: {
    nproc: cpus().length,
    cpu: cpuModel,
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    freeGiB: Number((freemem() / 2 ** 30).toFixed(1)),
    pinning: SERVER_CPU ? `servers on CPU ${SERVER_CPU}, load generator on CPU ${LOAD_CPUS}` : 'none',
  },
  loadAverage: { before: loadBefore, after: loadavg() },
  node: process.version,
  versions: Object.fromEntries(
    [
      '@auth/core',
      '@auth/express',
      '@auth/fastify',
      '@auth/axios',
      '@auth/sql-store',
      'express',
      'fastify',
      'passport-http-bearer',
      '@fastify/bearer-auth',
      'oidc-provider',
      'axios',
      'axios-auth-refresh',
      'autocannon',
      'tinybench',
      'better-sqlite3',
      'pg',
    ].map((p) => [p, version(p)]),
  ),
  mode_settings: mode,
};
const report = { meta, results };
const md = renderTable(report);
mkdirSync(`${here}results`, { recursive: true });
const stamp = started.toISOString().replace(/[:.]/g, '-');
const name = `${stamp}-${mode.name}${only ? `-${only.join('+')}` : ''}`;
writeFileSync(`${here}results/${name}.json`, `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(`${here}results/${name}.md`, md);
process.stdout.write(`${md}\n`);
log(`bench: wrote bench/results/${name}.{md,json} in ${meta.seconds}s`);
