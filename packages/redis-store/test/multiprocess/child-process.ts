/**
 * Start TypeScript child processes (through tsx, resolving workspace packages to source) and talk to
 * them in JSON lines, with every wait bounded.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A running child speaking JSON lines. */
export interface JsonChild {
  process: ChildProcess;
  /** The next message satisfying `match`, or an error after `timeoutMs` or when the child exits. */
  next<T = Record<string, unknown>>(match: (message: Record<string, unknown>) => boolean, timeoutMs: number): Promise<T>;
  send(message: unknown): void;
  /** Everything the child wrote to stderr, for failure messages. */
  stderr(): string;
  /** Resolves with the exit code (or signal) once the child has exited. */
  exited: Promise<number | string>;
}

/** Spawn `file` with `node --conditions=@auth/source --import tsx`. */
export function spawnTsChild(file: string, env: Record<string, string>): JsonChild {
  const child = spawn(process.execPath, ['--conditions=@auth/source', '--import', 'tsx', file], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let errText = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    errText = (errText + chunk.toString()).slice(-4000);
  });
  const buffered: Record<string, unknown>[] = [];
  const waiting = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      buffered.push(JSON.parse(line));
    } catch {
      return;
    }
    for (const wake of [...waiting]) wake();
  });
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      resolve(code ?? signal ?? 'unknown');
      for (const wake of [...waiting]) wake();
    });
  });
  return {
    process: child,
    exited,
    stderr: () => errText,
    send(message) {
      child.stdin!.write(`${JSON.stringify(message)}\n`);
    },
    next<T>(match: (message: Record<string, unknown>) => boolean, timeoutMs: number): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const check = () => {
          const index = buffered.findIndex(match);
          if (index >= 0) {
            done();
            resolve(buffered.splice(index, 1)[0] as T);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            done();
            reject(new Error(`child ${child.pid} exited (${child.exitCode ?? child.signalCode}): ${errText}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`child ${child.pid} sent no matching message within ${timeoutMs} ms: ${errText}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiting.delete(check);
        };
        waiting.add(check);
        check();
      });
    },
  };
}

/** Kill a child if it is still running and wait (bounded) for it to go. */
export async function stopChild(child: JsonChild, timeoutMs = 3_000): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), timeoutMs);
  await child.exited;
  clearTimeout(timer);
}
