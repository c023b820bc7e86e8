import { type AuthServer, nodeHeaderAccessor, type Principal, type QueryAccessor, type VerifyOptions } from '@auth/core';
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

/**
 * The request's query parameters for the verifier, which reads them only when the legacy query-parameter
 * key is on. Built by a helper rather than inline in the options literal: an unnamed closure is the
 * cheapest per-request allocation (a name-inferred one is renamed at runtime by some TypeScript loaders).
 */
function queryAccessor(request: FastifyRequest): QueryAccessor {
  return (name) => {
    const query = request.query as Record<string, unknown> | null | undefined;
    return query && typeof query === 'object' ? single(query[name]) : undefined;
  };
}

/** The principal of a warm request, settled in this turn, or `undefined` (then the {@link RequestVerifier}). */
export type WarmRequestVerifier = (request: FastifyRequest, requirements: RouteAuthRequirements | undefined) => Principal | undefined;

function verifyOptions(request: FastifyRequest, requirements: RouteAuthRequirements | undefined, csrfField: string): VerifyOptions {
  const body = request.body as Record<string, unknown> | null | undefined;
  const csrf = body && typeof body === 'object' ? body[csrfField] : undefined;
  return {
    httpMethod: request.method,
    scopes: requirements?.scopes,
    allow: requirements?.allow,
    query: queryAccessor(request),
    csrfToken: typeof csrf === 'string' ? csrf : undefined,
  };
}

/** Translate a Fastify request into the core's `verify(getHeader, options)` call. */
export function createRequestVerifier(auth: AuthServer): RequestVerifier {
  const csrfField = auth.sessions.csrfField;
  return function verifyRequest(request, requirements) {
    return auth.verify(nodeHeaderAccessor(request.raw), verifyOptions(request, requirements, csrfField));
  };
}

/** The same request through the core's `verifyWarm`: a principal only when the warm cache settles it. */
export function createWarmRequestVerifier(auth: AuthServer): WarmRequestVerifier {
  const csrfField = auth.sessions.csrfField;
  return function verifyWarmRequest(request, requirements) {
    return auth.verifyWarm(nodeHeaderAccessor(request.raw), verifyOptions(request, requirements, csrfField));
  };
}

/** Shared by every request the hook lets through untouched: a settled promise needs no new one. */
const PASS: Promise<undefined> = Promise.resolve(undefined);

/**
 * Build the hook: it reads the route's `config.auth`, sets `request.auth`, or replies with the core's
 * error response.
 *
 * A plain function returning the verification's own promise rather than an `async` one: Fastify treats
 * both alike, and this saves an async frame and a promise hop on every protected request.
 */
export function createAuthenticate(verifyRequest: RequestVerifier, warmRequest?: WarmRequestVerifier): AuthenticateHook {
  return function authenticate(request, reply) {
    // Already done by an earlier hook (global hook plus a route-level one), or nothing to protect:
    // a public route, or an unknown path that must stay a 404.
    if (request.auth !== null || request.is404) return PASS;
    const config = request.routeOptions.config.auth;
    if (config === false) return PASS;
    const requirements = typeof config === 'object' ? config : undefined;
    // A warm request is settled in this turn, with the shared settled promise.
    const warm = warmRequest?.(request, requirements);
    if (warm !== undefined) {
      request.auth = warm;
      return PASS;
    }
    let verification: Promise<Principal>;
    try {
      verification = verifyRequest(request, requirements);
    } catch (error) {
      // A custom RequestVerifier may throw instead of rejecting: answered the same way.
      verification = Promise.reject(error);
    }
    // A reply is thenable, so resolving with it waits until it is sent, exactly as an async hook that
    // returns it does; TypeScript types that as `unknown`, hence the assertion.
    return verification.then(
      (principal) => {
        request.auth = principal;
        return undefined;
      },
      (error: unknown) => sendAuthError(reply, error),
    ) as Promise<FastifyReply | undefined>;
  };
}
