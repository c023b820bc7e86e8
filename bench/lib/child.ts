/**
 * Child processes for the benchmarks: servers under test and in-process micro benchmarks each run in a
 * process of their own, so the load generator never shares an event loop with what it measures.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

/** bench/, with its trailing slash: where the children's scripts are resolved from. */
export const BENCH_ROOT = fileURLToPath(new URL('../', import.meta.url));
// Workspace packages resolve to their built dist (what users run): `pnpm bench` builds them first.
// AUTH_BENCH_SOURCE=1 resolves them to their TypeScript source instead (no build; for iterating on a fix).
const NODE_ARGS = process.env.AUTH_BENCH_SOURCE === '1' ? ['--conditions=@auth/source', '--import', 'tsx'] : ['--import', 'tsx'];
/** On 2+ cores, servers get the last core and the load generator the rest, so they do not fight. */
const CORES = cpus().length;
export const SERVER_CPU = CORES >= 2 ? String(CORES - 1) : undefined;
export const LOAD_CPUS = CORES >= 2 ? `0-${CORES - 2}` : undefined;

export interface Started<T> {
  info: T;
  proc: ChildProcess;
  stop(): Promise<void>;
}

function command(script: string, args: string[], nodeFlags: string[], cpu: string | undefined) {
  const node = [...nodeFlags, ...NODE_ARGS, `${BENCH_ROOT}${script}`, ...args];
  return cpu ? { cmd: 'taskset', argv: ['-c', cpu, process.execPath, ...node] } : { cmd: process.execPath, argv: node };
}

/**
 * Start a long-lived child (a server). It must print one JSON line prefixed `READY ` on stdout when
 * listening. Rejects after `timeoutMs`.
 */
export async function startChild<T>(
  script: string,
  args: string[] = [],
  opts: { nodeFlags?: string[]; cpu?: string | undefined; timeoutMs?: number } = {},
): Promise<Started<T>> {
  const { cmd, argv } = command(script, args, opts.nodeFlags ?? [], 'cpu' in opts ? opts.cpu : SERVER_CPU);
  const proc = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } });
  const info = await readyInfo<T>(proc, script, opts.timeoutMs ?? 60_000);
  return {
    info,
    proc,
    stop: () =>
      new Promise<void>((done) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return done();
        const kill = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        proc.once('exit', () => {
          clearTimeout(kill);
          done();
        });
        proc.kill('SIGTERM');
      }),
  };
}

/**
 * The JSON of the `READY ` line a child prints on stdout once listening. Kills the child and rejects after
 * `timeoutMs`, or when it exits first; `detail` (its stderr, say) goes into either error.
 */
export function readyInfo<T>(proc: ChildProcess, label: string, timeoutMs: number, detail: () => string = () => ''): Promise<T> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`${label} did not start within ${timeoutMs} ms${detail() ? `\n${detail()}` : ''}`));
    }, timeoutMs);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited with ${code} before it was ready${detail() ? `\n${detail()}` : ''}`));
    });
    proc.stdout!.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      const line = buf.split('\n').find((l) => l.startsWith('READY '));
      if (!line) return;
      clearTimeout(timer);
      proc.removeAllListeners('exit');
      proc.stdout!.removeAllListeners('data');
      proc.stdout!.resume();
      resolve(JSON.parse(line.slice(6)) as T);
    });
  });
}

/** Run a child to completion and parse the JSON it prints last (a line prefixed `RESULT `). */
export function runChild<T>(
  script: string,
  args: string[] = [],
  opts: { nodeFlags?: string[]; cpu?: string | undefined; timeoutMs?: number } = {},
): Promise<T> {
  const { cmd, argv } = command(script, args, opts.nodeFlags ?? [], 'cpu' in opts ? opts.cpu : SERVER_CPU);
  const proc = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => proc.kill('SIGKILL'), opts.timeoutMs ?? 300_000);
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) return reject(new Error(`${script} ${args.join(' ')} failed (exit ${code}): ${out.slice(-2000)}`));
      resolve(JSON.parse(line.slice(7)) as T);
    });
  });
}

/** Print the readiness line a parent waits for, and exit cleanly on SIGTERM. */
export function ready(info: unknown, onStop?: () => Promise<void> | void): void {
  process.stdout.write(`READY ${JSON.stringify(info)}\n`);
  process.once('SIGTERM', async () => {
    try {
      await onStop?.();
    } finally {
      process.exit(0);
    }
  });
}

/** Print a child's result for {@link runChild}. */
export function result(value: unknown): void {
  process.stdout.write(`RESULT ${JSON.stringify(value)}\n`);
}

/** Path every benchmark server answers with its own CPU time, so cost per request can be measured. */
export const CPU_PATH = '/__cpu';
/**
 * Token servers: `POST /__families?count=N` answers a JSON array of N fresh refresh tokens, each the head of
 * a new family (the refresh_token load replaces families it lost between samples; see `FamilyPool`).
 */
export const FAMILIES_PATH = '/__families';
/** The `count` of a {@link FAMILIES_PATH} request URL, bounded to 1..1000. */
export const familiesCount = (url: string | undefined) =>
  Math.max(1, Math.min(1000, Number(new URL(url ?? '/', 'http://x').searchParams.get('count')) || 1));
/** This process's CPU time (user + system, all threads) in microseconds, as JSON. */
export const cpuBody = () => {
  const u = process.cpuUsage();
  return { us: u.user + u.system };
};
