import { type AuthServer, nodeHeaderAccessor, type Principal } from '@auth/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RouteAuthRequirements } from './route-config.js';
import { sendAuthError } from './send-error.js';

/**
 * The authentication hook: usable as `onRequest` (credentials checked before any body is read) or
 * `preHandler` (a parsed form may then carry the CSRF field of cookie sessions).
 */
export type AuthenticateHook = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;

/** Verifies a request with the core against a route's requirements; rejects with the core's errors. */
export type RequestVerifier = (request: FastifyRequest, requirements: RouteAuthRequirements | undefined) => Promise<Principal>;

function single(value: unknown): string | readonly string[] | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
}

/** Translate a Fastify request into the core's `verify(getHeader, options)` call. */
export function createRequestVerifier(auth: AuthServer): RequestVerifier {
  const csrfField = auth.sessions.csrfField;
  return function verifyRequest(request, requirements) {
    const query = request.query as Record<string, unknown> | null | undefined;
    const body = request.body as Record<string, unknown> | null | undefined;
    const csrf = body && typeof body === 'object' ? body[csrfField] : undefined;
    return auth.verify(nodeHeaderAccessor(request.raw), {
      httpMethod: request.method,
      scopes: requirements?.scopes,
      allow: requirements?.allow,
      query: (name) => (query && typeof query === 'object' ? single(query[name]) : undefined),
      csrfToken: typeof csrf === 'string' ? csrf : undefined,
    });
  };
}

/**
 * Build the hook: it reads the route's `config.auth`, sets `request.auth`, or replies with the core's
 * error response.
 */
export function createAuthenticate(verifyRequest: RequestVerifier): AuthenticateHook {
  return async function authenticate(request, reply) {
    // Already done by an earlier hook (global hook plus a route-level one), or nothing to protect:
    // a public route, or an unknown path that must stay a 404.
    if (request.auth !== null || request.is404) return undefined;
    const config = request.routeOptions.config.auth;
    if (config === false) return undefined;
    try {
      request.auth = await verifyRequest(request, typeof config === 'object' ? config : undefined);
      return undefined;
    } catch (error) {
      return sendAuthError(reply, error);
    }
  };
}
