/**
 * The reference: the same requests answered by `@auth/core` directly (`verify` with a Web `Headers`
 * accessor for resource routes, `handle` for the authorization server). Every adapter must match it.
 *
 * @module
 */
import { type AuthMethod, errorResponse } from '@auth/core';
import { principalBody } from '../adapter-cases.js';
import { FIXTURE_ISSUER, FIXTURE_ROUTES } from '../adapter-fixture.js';
import type { ConformanceFixture } from './fixture.js';
import type { ConformanceHarness, WireRequest, WireResponse } from './types.js';

/** Web `Headers` from a wire request: array values become repeated lines, which `get` joins with ", ". */
export function webHeaders(request: WireRequest): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    for (const v of typeof value === 'string' ? [value] : value) headers.append(name, v);
  }
  return headers;
}

/** A Web `Request` for the fixture's issuer origin. */
export function webRequest(request: WireRequest, origin = FIXTURE_ISSUER): Request {
  const hasBody = request.body !== undefined && request.method !== 'GET' && request.method !== 'HEAD';
  return new Request(`${origin}${request.path}`, {
    method: request.method,
    headers: webHeaders(request),
    body: hasBody ? request.body : undefined,
  });
}

/** Read a Web `Response` into a {@link WireResponse}. */
export async function fromWebResponse(response: Response): Promise<WireResponse> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers['set-cookie'] = cookies;
  return { status: response.status, headers, body: await response.text() };
}

type RouteSpec = { public?: boolean; scopes?: readonly string[]; allow?: readonly AuthMethod[] };

/** The core, called directly: the reference every adapter is compared with. */
export function coreHarness(fixture: ConformanceFixture): ConformanceHarness {
  return {
    async resource(request) {
      const url = new URL(request.path, FIXTURE_ISSUER);
      const route = (FIXTURE_ROUTES as Record<string, RouteSpec>)[url.pathname];
      if (!route) throw new Error(`conformance: ${url.pathname} is not a fixture route`);
      const json = (status: number, body: unknown, headers: Record<string, string> = {}): WireResponse => ({
        status,
        headers: { ...headers, 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(body),
      });
      if (route.public) return json(200, { ok: true });
      const headers = webHeaders(request);
      try {
        const principal = await fixture.auth.verify((name) => headers.get(name), {
          httpMethod: request.method,
          scopes: route.scopes,
          allow: route.allow,
          query: (name) => url.searchParams.getAll(name),
        });
        return json(200, principalBody(principal));
      } catch (err) {
        const parts = errorResponse(err);
        return json(parts.status, parts.body, parts.headers);
      }
    },
    async authorizationServer(request) {
      return fromWebResponse(await fixture.auth.handle(webRequest(request)));
    },
    async close() {},
  };
}
