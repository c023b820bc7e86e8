import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts', 'bench/vitest.config.ts'],
    // Two cores: keep file-level parallelism modest; several suites start real servers.
    maxWorkers: 2,
    reporters: ['default', './tooling/summary-reporter.ts'],
  },
});
