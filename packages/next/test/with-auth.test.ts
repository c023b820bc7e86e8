import { type AuthMethod, CsrfError, InvalidRequestError, type Principal } from '@auth/core';
import {
  type AdapterHarness,
  createAdapterFixture,
  describeAdapterCases,
  FIXTURE_ROUTES,
  type FixturePath,
  principalBody,
} from '@auth/testkit';
import { describe, expect, it } from 'vitest';
import { createWithAuth, type RouteContext } from '../src/index.js';

type Route = (request: Request, context?: RouteContext) => Promise<Response>;

/** One Route Handler per fixture route, exactly as an app would export them. */
function fixtureRoutes(auth: Parameters<typeof createWithAuth>[0]): Record<FixturePath, Route> {
  const withAuth = createWithAuth(auth);
  const routes = {} as Record<FixturePath, Route>;
  for (const [path, spec] of Object.entries(FIXTURE_ROUTES) as [FixturePath, { public?: boolean; scopes?: readonly string[]; allow?: readonly AuthMethod[] }][]) {
    routes[path] = spec.public
      ? async () => Response.json({ ok: true })
      : withAuth(async (_request, { principal }) => Response.json(principalBody(principal)), { scopes: spec.scopes, allow: spec.allow });
  }
  return routes;
}

describeAdapterCases('@auth/next withAuth', async (fixture): Promise<AdapterHarness> => {
  const routes = fixtureRoutes(fixture.auth);
  return {
    async request({ method, path, headers }) {
      const request = new Request(`http://localhost:3000${path}`, { method, headers });
      const response = await routes[path as FixturePath](request, { params: Promise.resolve({}) });
      const out: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        out[name] = value;
      });
      return { status: response.status, headers: out, body: await response.json() };
    },
    async close() {},
  };
});

describe('withAuth', () => {
  it('passes the principal next to the route params, and the request untouched', async () => {
    const fixture = await createAdapterFixture();
    try {
      const withAuth = createWithAuth(fixture.auth);
      const handler = withAuth<RouteContext<{ id: string }>>(async (request, { params, principal }) =>
        Response.json({ id: (await params).id, userId: principal.userId, body: await request.text() }),
      );
      const res = await handler(
        new Request('http://localhost/items/7', {
          method: 'PUT',
          headers: { authorization: `Bearer ${fixture.values.pat}` },
          body: 'payload',
        }),
        { params: Promise.resolve({ id: '7' }) },
      );
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ id: '7', userId: fixture.values.userId, body: 'payload' });
    } finally {
      await fixture.close();
    }
  });

  it('renders protocol errors thrown by the handler, rethrows anything else', async () => {
    const auth = { verify: async () => ({ method: 'api_key' }) as Principal };
    const withAuth = createWithAuth(auth);
    const refused = withAuth(async () => {
      throw new InvalidRequestError('bad');
    });
    const res = await refused(new Request('http://localhost/x'));
    expect(res.status).toBe(400);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    const broken = withAuth(async () => {
      throw new TypeError('bug');
    });
    await expect(broken(new Request('http://localhost/x'))).rejects.toThrow(TypeError);
  });

  it('verifies with the request method (CSRF on unsafe cookie requests) and the query accessor', async () => {
    const seen: { method?: string; query?: unknown }[] = [];
    const withAuth = createWithAuth({
      async verify(_getHeader, options) {
        seen.push({ method: options?.httpMethod, query: options?.query?.('api_key') });
        throw new CsrfError();
      },
    });
    const res = await withAuth(async () => new Response('never'))(new Request('http://localhost/x?api_key=a&api_key=b', { method: 'DELETE' }));
    expect(res.status).toBe(403);
    expect(seen).toEqual([{ method: 'DELETE', query: ['a', 'b'] }]);
  });
});
