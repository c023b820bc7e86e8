/** Property-based attacks through @auth/fastify (`FUZZ_RUNS` sizes the run). */
import { describeFuzz } from '@auth/testkit';
import { conformanceHarness } from './conformance-harness.js';

describeFuzz('fastify', conformanceHarness);
