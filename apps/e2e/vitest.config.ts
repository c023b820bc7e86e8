import { packageProject } from '../../tooling/vitest.js';

// One file, one demo system: `next build`, startDemo (next start), then chromium. Serial and generous.
export default packageProject('e2e', { test: { testTimeout: 180_000, hookTimeout: 300_000, fileParallelism: false } });
