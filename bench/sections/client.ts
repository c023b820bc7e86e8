/** (3) Client token manager, measured in a child process (see micro/client.ts). */
import { runChild } from '../lib/child.js';
import type { Mode } from '../run.js';

export async function benchClient(mode: Mode, log: (s: string) => void) {
  const out = await runChild<Record<string, unknown>>('micro/client.ts', [
    String(mode.rounds),
    String(mode.name === 'quick' ? 500 : 1500),
    '10000',
  ]);
  log('  client done');
  return out;
}
