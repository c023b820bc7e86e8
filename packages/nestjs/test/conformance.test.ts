/**
 * The conformance and attack suite through @auth/nestjs on the Express and Fastify platforms: the global
 * guard over FixtureController and the authorization server mounted by AuthModule.
 */
import { describeConformance } from '@auth/testkit';
import { conformanceHarness } from './conformance-harness.js';
import { PLATFORMS } from './nest-app.js';

for (const platform of PLATFORMS) {
  describeConformance(`nestjs-${platform}`, (fixture) => conformanceHarness(platform, fixture));
}
