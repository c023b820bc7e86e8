import { readFileSync } from 'node:fs';
import type { DemoCredentials } from '../../provider/src/shared-config.js';

export type { DemoCredentials };

/** Read the file the provider's seed writes; a clear error when the provider was not seeded yet. */
export function readDemoCredentials(file: string): DemoCredentials {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new Error(`Cannot read ${file}: run \`pnpm --filter @auth-demo/provider seed\` first`, { cause });
  }
  return JSON.parse(text) as DemoCredentials;
}
