/** The conformance harness for Next.js: withAuth route handlers and createProviderRoutes, with real Requests. */
import type { AuthMethod } from '@auth/core';
import { type AdapterFixture, type ConformanceHarness, FIXTURE_ROUTES, principalBody, type WireRequest, webRequest, fromWebResponse } from '@auth/testkit';
import { createProviderRoutes, createWithAuth } from '../src/index.js';

type Route = (request: Request) => Promise<Response>;

export async function conformanceHarness(fixture: AdapterFixture): Promise<ConformanceHarness> {
  const withAuth = createWithAuth(fixture.auth);
  const routes: Record<string, Record<string, Route>> = {};
  for (const [path, spec] of Object.entries(FIXTURE_ROUTES) as [string, { public?: boolean; scopes?: readonly string[]; allow?: readonly AuthMethod[] }][]) {
    const handler: Route = spec.public
      ? async () => Response.json({ ok: true })
      : withAuth(async (_request, { principal }) => Response.json(principalBody(principal)), { scopes: spec.scopes, allow: spec.allow });
    // The route file exports GET and POST, as an app would.
    routes[path] = { GET: handler, POST: handler };
  }
  const provider = createProviderRoutes(fixture.auth);
  const origin = 'http://127.0.0.1:4000';
  return {
    async resource(request: WireRequest) {
      const route = routes[new URL(request.path, origin).pathname]?.[request.method];
      if (!route) return { status: 405, headers: {}, body: '' };
      return fromWebResponse(await route(webRequest(request, origin)));
    },
    async authorizationServer(request: WireRequest) {
      const handler = request.method === 'GET' ? provider.GET : request.method === 'POST' ? provider.POST : null;
      if (!handler) return { status: 405, headers: {}, body: '' };
      return fromWebResponse(await handler(webRequest(request, origin)));
    },
    async close() {},
  };
}
