import type { AuthServer } from '@auth/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendAuthError } from './send-error.js';

/**
 * The authentication hook: usable as `onRequest` (credentials checked before any body is read) or
 * `preHandler` (a parsed form may then carry the CSRF field of cookie sessions).
 */
export type AuthenticateHook = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;

function single(value: unknown): string | readonly string[] | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
}

/**
 * Build the hook for `auth`. It reads the route's `config.auth`, verifies the request with the core and
 * sets `request.auth`, or replies with the core's error response.
 */
export function createAuthenticate(auth: AuthServer): AuthenticateHook {
  const csrfField = auth.sessions.csrfField;
  return async function authenticate(request, reply) {
    // Already done by an earlier hook (global hook plus a route-level one), or nothing to protect:
    // a public route, or an unknown path that must stay a 404.
    if (request.auth !== null || request.is404) return undefined;
    const config = request.routeOptions.config.auth;
    if (config === false) return undefined;
    const requirements = typeof config === 'object' ? config : undefined;
    const query = request.query as Record<string, unknown> | null | undefined;
    const body = request.body as Record<string, unknown> | null | undefined;
    const csrf = body && typeof body === 'object' ? body[csrfField] : undefined;
    try {
      request.auth = await auth.verify((name) => request.headers[name], {
        httpMethod: request.method,
        scopes: requirements?.scopes,
        allow: requirements?.allow,
        query: (name) => (query && typeof query === 'object' ? single(query[name]) : undefined),
        csrfToken: typeof csrf === 'string' ? csrf : undefined,
      });
      return undefined;
    } catch (error) {
      return sendAuthError(reply, error);
    }
  };
}
