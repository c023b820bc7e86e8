/**
 * The conformance and attack suite, written once as data and run through the core and every adapter.
 * See packages/testkit/README.md.
 *
 * @module
 */
export * from './types.js';
export * from './fixture.js';
export * from './wire.js';
export * from './core-harness.js';
export * from './expect-answer.js';
export { CONFORMANCE_CASES } from './cases/index.js';
export { describeConformance, caseTitle, type DescribeConformanceOptions } from './run.js';
export { describeFuzz, fuzzRuns, type FuzzOptions } from './fuzz.js';
