/**
 * The conformance and attack suite through @auth/express on Express 4 and 5: the fixture routes behind
 * `authenticate()` and the authorization server behind `authorizationServer()`, in one app, via supertest.
 */
import { type ConformanceHarness, describeConformance } from '@auth/testkit';
import { authorizationServer } from '../src/index.js';
import { conformanceHarness } from './conformance-harness.js';
import { EXPRESS_VARIANTS } from './express-variants.js';

for (const variant of EXPRESS_VARIANTS) {
  describeConformance(variant.name.replace(' ', ''), async (fixture): Promise<ConformanceHarness> => conformanceHarness(variant, fixture, authorizationServer));
}
