/**
 * The conformance and attack suite (packages/testkit/src/conformance) against @auth/core called directly:
 * the reference every adapter is compared with, plus the client-side cases, which only the core runs.
 */
import { describeConformance } from '../../testkit/src/index.js';

describeConformance('core', null, { clientCases: true });
