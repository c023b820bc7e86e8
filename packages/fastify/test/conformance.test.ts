/**
 * The conformance and attack suite through @auth/fastify: the fixture routes behind the plugin's global
 * hook and the authorization server mounted by the plugin (`authorizationServer: true`), via inject().
 */
import { describeConformance } from '@auth/testkit';
import { conformanceHarness } from './conformance-harness.js';

describeConformance('fastify', conformanceHarness);
