/**
 * The conformance and attack suite through @auth/next: fixture routes as `withAuth` Route Handlers and the
 * authorization server as `createProviderRoutes` handlers, called with real Web Requests.
 */
import { describeConformance } from '@auth/testkit';
import { conformanceHarness } from './conformance-harness.js';

describeConformance('next', conformanceHarness);
