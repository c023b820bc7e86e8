/**
 * The conformance table: every case, in one list.
 *
 * @module
 */
import type { ConformanceCase } from '../types.js';
import { AUTHORIZE_CASES } from './authorize.js';
import { CLIENT_CASES } from './client.js';
import { COOKIE_CASES } from './cookies.js';
import { REFRESH_CASES } from './refresh.js';
import { RESOURCE_CASES } from './resource.js';
import { REVOCATION_CASES } from './revocation.js';
import { TOKEN_CASES } from './token.js';

/** Every conformance case. Add a case to the list of its area (see packages/testkit/README.md). */
export const CONFORMANCE_CASES: readonly ConformanceCase[] = [
  ...AUTHORIZE_CASES,
  ...TOKEN_CASES,
  ...REFRESH_CASES,
  ...REVOCATION_CASES,
  ...RESOURCE_CASES,
  ...COOKIE_CASES,
  ...CLIENT_CASES,
];

export { AUTHORIZE_CASES, CLIENT_CASES, COOKIE_CASES, REFRESH_CASES, RESOURCE_CASES, REVOCATION_CASES, TOKEN_CASES };
