/** (5) Memory per 10,000 cached entries, in a child process with --expose-gc (see micro/memory.ts). */
import { runChild } from '../lib/child.js';
import type { Mode } from '../run.js';

export async function benchMemory(mode: Mode, log: (s: string) => void) {
  const rows = await runChild<unknown[]>('micro/memory.ts', [String(mode.name === 'quick' ? 1 : 3)], { nodeFlags: ['--expose-gc'] });
  log('  memory done');
  return rows;
}
