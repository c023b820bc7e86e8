/** Property-based attacks through @auth/express on Express 4 and 5 (`FUZZ_RUNS` sizes the run). */
import { describeFuzz } from '@auth/testkit';
import { authorizationServer } from '../src/index.js';
import { conformanceHarness } from './conformance-harness.js';
import { EXPRESS_VARIANTS } from './express-variants.js';

for (const variant of EXPRESS_VARIANTS) {
  describeFuzz(variant.name.replace(' ', ''), async (fixture) => conformanceHarness(variant, fixture, authorizationServer));
}
