import { defineProject } from 'vitest/config';

// Only the harness' own helpers: the benchmarks themselves run with `pnpm bench`, never in the test run.
export default defineProject({
  test: { name: 'bench', include: ['lib/**/*.test.ts'] },
});
