import { type AuthServer, nodeHeaderAccessor, type Principal, type QueryAccessor, type VerifyOptions } from '@auth/core';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { RouteAuthRequirements } from './route-config.js';
import { sendAuthError } from './send-error.js';

/**
 * The authentication hook: usable as `onRequest` (credentials checked before any body is read) or
 * `preHandler` (a parsed form may then carry the CSRF field of cookie sessions).
 */
export interface AuthenticateHook {
  /** Run it yourself, inside a hook of your own: resolves once `request.auth` is set or the refusal sent. */
  (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined>;
  /** As Fastify runs a hook: `done()` is called once `request.auth` is set or the refusal sent. */
  (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void;
}

/**
 * Verifies a request with the core against a route's requirements: the principal at once when the warm
 * cache settles it, otherwise a promise that rejects with the core's errors.
 */
export type RequestVerifier = (
  request: FastifyRequest,
  requirements: RouteAuthRequirements | undefined,
) => Principal | Promise<Principal>;

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

/**
 * Translate a Fastify request into the core's `verifyWarm` / `verify(getHeader, options)` calls, with one
 * header accessor and one options object for both. A warm request is answered with the principal itself,
 * in this turn; anything else with `verify`'s promise. A server spread into a wrapper
 * (`{ ...auth, verify: mine }`) has no `verifyWarm`, so its own `verify` decides every request.
 */
export function createRequestVerifier(auth: AuthServer): RequestVerifier {
  const csrfField = auth.sessions.csrfField;
  const verifyWarm = typeof auth.verifyWarm === 'function' ? auth.verifyWarm.bind(auth) : undefined;
  return function verifyRequest(request, requirements) {
    const headers = nodeHeaderAccessor(request.raw);
    const options = verifyOptions(request, requirements, csrfField);
    return verifyWarm?.(headers, options) ?? auth.verify(headers, options);
  };
}

/** Shared by every request the hook lets through untouched: a settled promise needs no new one. */
const PASS: Promise<undefined> = Promise.resolve(undefined);

/**
 * Build the hook: it reads the route's `config.auth`, sets `request.auth`, or replies with the core's
 * error response.
 *
 * Fastify calls a hook with `done` and waits for it, unless the hook returns a promise. So when Fastify
 * runs it, a request settled from the warm cache calls `done()` in the same turn: no promise and no
 * microtask on the hot path (an `async` no-op hook costs Fastify more than the warm verification). Called
 * with two arguments (`await app.authenticate(request, reply)` inside a hook of your own), it returns a
 * promise instead.
 */
export function createAuthenticate(verifyRequest: RequestVerifier): AuthenticateHook {
  /** The principal settled now, or the promise of the hook's outcome (resolves once a refusal is sent). */
  function run(request: FastifyRequest, reply: FastifyReply): Principal | null | Promise<FastifyReply | undefined> {
    // Already done by an earlier hook (global hook plus a route-level one), or nothing to protect:
    // a public route, or an unknown path that must stay a 404.
    if (request.auth !== null || request.is404) return null;
    const config = request.routeOptions.config.auth;
    if (config === false) return null;
    let verification: Principal | Promise<Principal>;
    try {
      verification = verifyRequest(request, typeof config === 'object' ? config : undefined);
    } catch (error) {
      // A custom RequestVerifier may throw instead of rejecting: answered the same way.
      verification = Promise.reject(error);
    }
    if (!(verification instanceof Promise)) return verification;
    // A reply is thenable, so resolving with it waits until it is sent, exactly as an async hook that
    // returns it does; TypeScript types that as `unknown`, hence the assertion.
    return verification.then(
      (principal) => {
        request.auth = principal;
        return undefined;
      },
      (error: unknown) => sendAuthError(reply, error),
    ) as Promise<FastifyReply | undefined>;
  }

  function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined>;
  function authenticate(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void;
  function authenticate(request: FastifyRequest, reply: FastifyReply, done?: HookHandlerDoneFunction): Promise<FastifyReply | undefined> | void {
    const outcome = run(request, reply);
    if (outcome instanceof Promise) {
      if (done === undefined) return outcome;
      // Fastify stops the chain itself once a refusal has been sent.
      outcome.then(() => done(), done);
      return;
    }
    if (outcome !== null) request.auth = outcome;
    if (done === undefined) return PASS;
    done();
  }
  return authenticate;
}
