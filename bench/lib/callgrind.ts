/**
 * A benchmark server run under valgrind's callgrind, which counts the instructions it executes and
 * simulates its caches and branch predictor: figures that do not move with whatever else the machine is
 * doing, where a load run's throughput does. Needs valgrind (`apt-get install valgrind`), which also
 * brings `callgrind_control` and `callgrind_annotate`.
 *
 * The server starts with instrumentation off (fast), is warmed up, then counts only between a
 * `callgrind_control --zero` and a `--dump` around each sample. Node writes a perf map
 * (`--perf-basic-prof`), so code V8 compiled at run time, which callgrind sees as bare addresses, is
 * attributed to the JavaScript function it came from.
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_ROOT, readyInfo, SERVER_CPU } from './child.js';

/** The events the simulation records, in callgrind's order and names. */
export const EVENTS = ['Ir', 'Dr', 'Dw', 'I1mr', 'D1mr', 'D1mw', 'ILmr', 'DLmr', 'DLmw', 'Bc', 'Bcm', 'Bi', 'Bim'] as const;
export type Costs = Record<(typeof EVENTS)[number], number>;

/**
 * KCachegrind's cycle estimate: an instruction a cycle, 10 more for a first-level cache miss or a
 * mispredicted branch, 100 for a last-level miss. A model, not a measurement: it weighs in what the
 * instruction count alone leaves out (a request path far larger than the first-level instruction cache).
 */
export function cycleEstimate(c: Costs): number {
  return c.Ir + 10 * (c.I1mr + c.D1mr + c.D1mw + c.Bcm + c.Bim) + 100 * (c.ILmr + c.DLmr + c.DLmw);
}

/** Whether valgrind's callgrind tools are installed. */
export function haveCallgrind(): boolean {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
    execFileSync('callgrind_control', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** One counted sample: its costs per request, and the dump it came from (for attribution). */
export interface CountedSample {
  perRequest: Costs;
  requests: number;
  dump: string;
}

export interface CallgrindServer<T> {
  info: T;
  /** Send `requests` GET requests one after another over one kept-alive connection, counting them. */
  count(path: string, headers: Record<string, string>, requests: number): Promise<CountedSample>;
  /** The same, uncounted (warm-up). */
  send(path: string, headers: Record<string, string>, requests: number): Promise<void>;
  /** Turn counting on (it starts off: start-up and the uncounted warm-up run at valgrind's faster pace). */
  instrument(): void;
  /** JavaScript function names of JIT code, from Node's perf map. */
  perfMap(): PerfMap;
  stop(): Promise<void>;
}

/** Start `script` (a benchmark server printing `READY {json}`) under callgrind. */
export async function startUnderCallgrind<T extends { port: number }>(script: string): Promise<CallgrindServer<T>> {
  const dir = mkdtempSync(join(tmpdir(), 'auth-bench-callgrind-'));
  const out = join(dir, 'cg.out');
  const valgrind = [
    'valgrind',
    '--tool=callgrind',
    '--cache-sim=yes',
    '--branch-sim=yes',
    // V8 compiles, marks and sweeps on helper threads, whenever the scheduler runs them: counted apart,
    // and only the main thread's counts are read (what the event loop spends on the requests).
    '--separate-threads=yes',
    '--instr-atstart=no',
    `--callgrind-out-file=${out}`,
    process.execPath,
    '--perf-basic-prof',
    // The perf map goes to /tmp/perf-<pid>.map; V8's own log, which comes with it, to the dump folder.
    '--no-logfile-per-isolate',
    `--logfile=${join(dir, 'v8.log')}`,
    '--import',
    'tsx',
    `${BENCH_ROOT}${script}`,
  ];
  // taskset execs valgrind, which runs node in the same process: one pid for callgrind_control.
  const argv = SERVER_CPU ? ['taskset', '-c', SERVER_CPU, ...valgrind] : valgrind;
  const proc = spawn(argv[0]!, argv.slice(1), {
    cwd: BENCH_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const pid = proc.pid!;
  const perfMapPath = `/tmp/perf-${pid}.map`;
  let info: T;
  try {
    info = await readyInfo<T>(proc, `${script} under callgrind`, 240_000, () => stderr);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    rmSync(perfMapPath, { force: true });
    throw error;
  }
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const ctl = (...args: string[]) =>
    execFileSync('callgrind_control', [...args, String(pid)], { stdio: ['ignore', 'ignore', 'ignore'], timeout: 60_000 });
  let dumps = 0;

  function get(path: string, headers: Record<string, string>): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: info.port, path, headers, agent, timeout: 30_000 }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${path}: HTTP ${res.statusCode}`))));
      });
      req.on('timeout', () => req.destroy(new Error(`${path}: no answer in 30 s`)));
      req.on('error', reject);
    });
  }
  async function send(path: string, headers: Record<string, string>, requests: number): Promise<void> {
    for (let i = 0; i < requests; i++) await get(path, headers);
  }

  return {
    info,
    send,
    instrument: () => ctl('--instr=on'),
    async count(path, headers, requests) {
      ctl('--zero');
      await send(path, headers, requests);
      ctl('--dump');
      // callgrind names each dump cg.out.<part>-<thread>: keep the main thread's (01), drop the helpers'.
      const parts = readdirSync(dir).filter((f) => /^cg\.out\.\d+-\d+$/.test(f));
      const main = parts.find((f) => f.endsWith('-01'));
      if (!main) throw new Error(`callgrind wrote no main-thread dump (${parts.join(', ') || 'none'})`);
      const dump = join(dir, `sample-${++dumps}`);
      renameSync(join(dir, main), dump);
      for (const f of parts) if (f !== main) rmSync(join(dir, f), { force: true });
      const totals = summary(readFileSync(dump, 'utf8'));
      const perRequest = Object.fromEntries(EVENTS.map((e) => [e, totals[e] / requests])) as Costs;
      return { perRequest, requests, dump };
    },
    perfMap: () => readPerfMap(perfMapPath),
    async stop() {
      // AUTH_BENCH_KEEP_DUMPS=<dir>: keep the dumps and the perf map there, for callgrind_annotate.
      const keep = process.env.AUTH_BENCH_KEEP_DUMPS;
      if (keep) {
        cpSync(dir, keep, { recursive: true });
        if (existsSync(perfMapPath)) copyFileSync(perfMapPath, join(keep, `perf-${pid}.map`));
      }
      agent.destroy();
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGKILL');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
      rmSync(perfMapPath, { force: true });
    },
  };
}

/** The `events:` and `summary:` lines of a callgrind dump, as named totals. */
export function summary(text: string): Costs {
  const events = /^events: (.*)$/m.exec(text)?.[1]?.trim().split(/\s+/);
  const values = /^summary: (.*)$/m.exec(text)?.[1]?.trim().split(/\s+/).map(Number);
  if (!events || !values) throw new Error('not a callgrind dump with a summary line');
  const named = Object.fromEntries(events.map((e, i) => [e, values[i] ?? 0]));
  return Object.fromEntries(EVENTS.map((e) => [e, named[e] ?? 0])) as Costs;
}

/** Address ranges of JIT code and the function each came from. */
export interface PerfMap {
  name(address: number): string | undefined;
}

/** Parse a perf map (`start size name` per line, hex). */
export function parsePerfMap(text: string): PerfMap {
  const entries: { start: number; end: number; name: string }[] = [];
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line);
    if (m) entries.push({ start: Number.parseInt(m[1]!, 16), end: Number.parseInt(m[1]!, 16) + Number.parseInt(m[2]!, 16), name: m[3]! });
  }
  entries.sort((a, b) => a.start - b.start);
  return {
    name(address) {
      let lo = 0;
      let hi = entries.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const e = entries[mid]!;
        if (address < e.start) hi = mid - 1;
        else if (address >= e.end) lo = mid + 1;
        else return e.name;
      }
      return undefined;
    },
  };
}

function readPerfMap(path: string): PerfMap {
  return parsePerfMap(existsSync(path) ? readFileSync(path, 'utf8') : '');
}

/**
 * A function name as the reader knows it: JIT code by its JavaScript function (`JS:*warm file:///…/x.js:12:3`
 * becomes `warm (x.js:12)`), builtins and C++ without their binary, anything unknown as `JIT code`.
 */
export function readableName(raw: string, map: PerfMap): string {
  const address = /^\?\?\?:0x([0-9a-f]+)/.exec(raw);
  if (address) {
    const js = map.name(Number.parseInt(address[1]!, 16));
    if (!js) return 'JIT code (unnamed)';
    const m = /^JS:[*~^+-]?(\S*) (.*?):(\d+):\d+$/.exec(js);
    if (!m) return js;
    const file = m[2]!.replace(/^file:\/\//, '');
    const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(file);
    const where = pkg ? `${pkg[1]}/${pkg[2]}` : file.replace(/^.*\/packages\//, '@auth/').replace(/^node:/, 'node:');
    return `${m[1] || '(anonymous)'} (${where}:${m[3]})`;
  }
  return raw
    .replace(/^\?\?\?:/, '')
    .replace(/^.*?sysdeps\/[^:]*:/, 'libc ')
    .replace(/ \[[^\]]*\]$/, '')
    .replace(/\(anonymous namespace\)/g, '{anonymous}')
    .replace(/\(.*$/, '()');
}

/** Self costs per function of one dump, by readable name. */
export function selfCosts(dump: string, map: PerfMap): Map<string, Costs> {
  const text = execFileSync(
    'callgrind_annotate',
    ['--inclusive=no', '--auto=no', '--threshold=100', `--show=${EVENTS.join(',')}`, '--sort=Ir', dump],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const out = new Map<string, Costs>();
  let inTable = false;
  for (const line of text.split('\n')) {
    if (line.includes('file:function')) {
      inTable = true;
      continue;
    }
    if (!inTable) continue;
    // `4,666,092 ( 3.57%) ... 0 ... .  name`: 13 values, each with or without its share, then the name.
    const tokens = line.replace(/\(\s*[\d.]+%\)/g, '').trim().split(/\s+/);
    if (tokens.length <= EVENTS.length || !tokens.slice(0, EVENTS.length).every((t) => /^(?:[\d,]+|\.)$/.test(t))) continue;
    const values = tokens.slice(0, EVENTS.length).map((v) => (v === '.' ? 0 : Number(v.replace(/,/g, ''))));
    const name = readableName(tokens.slice(EVENTS.length).join(' '), map);
    const prev = out.get(name);
    out.set(name, Object.fromEntries(EVENTS.map((e, i) => [e, values[i]! + (prev?.[e] ?? 0)])) as Costs);
  }
  return out;
}
