/** Property-based attacks through @auth/next route handlers (`FUZZ_RUNS` sizes the run). */
import { describeFuzz } from '@auth/testkit';
import { conformanceHarness } from './conformance-harness.js';

describeFuzz('next', conformanceHarness);
