/** The conformance harness for Fastify: one app, fixture routes plus the mounted authorization server. */
import type { AdapterFixture, ConformanceHarness, WireRequest } from '@auth/testkit';
import { fixtureApp } from './app.js';

export async function conformanceHarness(fixture: AdapterFixture): Promise<ConformanceHarness> {
  const app = await fixtureApp(fixture, { authorizationServer: true });
  const send = async ({ method, path, headers, body }: WireRequest) => {
    const res = await app.inject({ method: method as 'GET', url: path, headers: headers as Record<string, string>, payload: body });
    return { status: res.statusCode, headers: res.headers as Record<string, string>, body: res.body };
  };
  return { resource: send, authorizationServer: send, close: () => app.close() };
}
