#!/usr/bin/env -S node --conditions=@auth/source --import tsx
/**
 * Entry point: `node --conditions=@auth/source --import tsx apps/cli/src/cli.ts <scheme> [path]`
 * (or `pnpm --filter @auth-demo/cli start <scheme> [path]`). See `run.ts` for the options.
 */
import { run } from './run.js';

process.exitCode = await run(process.argv.slice(2), {
  env: process.env,
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
