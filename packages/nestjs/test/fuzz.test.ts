/** Property-based attacks through @auth/nestjs on both platforms (`FUZZ_RUNS` sizes the run). */
import { describeFuzz } from '@auth/testkit';
import { conformanceHarness } from './conformance-harness.js';
import { PLATFORMS } from './nest-app.js';

// Express runs without Nest's body parsers: with them on, body-parser's own errors (415 for
// `charset=latin1`, found by this suite: seed -1498743235) answer in Nest's format before the
// authorization server sees the request. Open: see packages/testkit/README.md, "Known divergences".
for (const platform of PLATFORMS) {
  describeFuzz(`nestjs-${platform}`, (fixture) => conformanceHarness(platform, fixture, { bodyParser: platform !== 'express' }));
}
