/** Property-based attacks through @auth/nestjs on both platforms (`FUZZ_RUNS` sizes the run). */
import { describeFuzz } from '@auth/testkit';
import { conformanceHarness } from './conformance-harness.js';
import { PLATFORMS } from './nest-app.js';

for (const platform of PLATFORMS) {
  describeFuzz(`nestjs-${platform}`, (fixture) => conformanceHarness(platform, fixture));
}
