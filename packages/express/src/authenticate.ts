/**
 * Route protection: verify the request's credentials and expose the principal as `req.auth`.
 *
 * @module
 */
import { type AuthMethod, type AuthServer, ConfigError, MissingCredentialsError, nodeHeaderAccessor, type Principal } from '@auth/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { requestSlot } from './request-slot.js';
import { sendAuthError } from './send-auth-error.js';

/** Options of {@link authenticate}. */
export interface AuthenticateOptions {
  /** Scopes the route needs, all of them; otherwise 403 `insufficient_scope`. */
  scopes?: readonly string[];
  /** Schemes the route accepts, e.g. `['secret']`. Default: the auth server's `defaultAllow`. */
  allow?: readonly AuthMethod[];
  /**
   * Let requests without any credential through with `req.auth` unset. A credential that is present
   * but wrong is still refused: an optional route must not turn a bad token into an anonymous call.
   */
  optional?: boolean;
  /**
   * Read the API key from the query string for the legacy `?api_key=` scheme (only when the auth server
   * enables `legacyApiKey.query`). Default true; the verifier ignores it unless that option is on.
   */
  query?: boolean;
}

/**
 * The core's verifier, or anything with the same `verify` (for tests or a wrapped server); `verifyWarm`
 * is used when present.
 */
export type Verifies = Pick<AuthServer, 'verify'> & Partial<Pick<AuthServer, 'verifyWarm'>>;

/** Sets `req.auth` (see `request-slot.ts`: no property is added to the request). */
const setPrincipal = requestSlot<Principal | undefined>('auth');

function csrfField(body: unknown): string | undefined {
  // The verifier reads the `x-csrf-token` header itself; a form that carries `_csrf` instead only works
  // when a body parser ran, so the field is taken from the parsed body.
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)._csrf : undefined;
  return typeof value === 'string' ? value : undefined;
}

/**
 * Verify the credentials of every request it sees (API key triple headers, legacy key, Bearer personal
 * or OAuth token, `Secret`, session cookie) and set `req.auth`. Failures are answered at once in the
 * standard format (`WWW-Authenticate`, JSON body; 400/401/403); a non-protocol failure (the store is
 * down) is a generic 500 `server_error`.
 *
 * Use it per route, or per router to protect everything on it; routes without it are public, which
 * keeps the opt-out explicit where each route is declared.
 *
 * @example
 * ```ts
 * app.get('/health', (req, res) => res.json({ ok: true }));                       // public
 * app.get('/me', authenticate(auth), (req, res) => res.json(req.auth));
 * app.post('/items', authenticate(auth, { scopes: ['write'] }), createItem);
 * app.post('/webhooks', authenticate(auth, { allow: ['secret'] }), receive);
 * ```
 */
export function authenticate(auth: Verifies, options: AuthenticateOptions = {}): RequestHandler {
  if (!auth || typeof auth.verify !== 'function') throw new ConfigError('authenticate: pass the auth server');
  const { scopes, allow, optional = false, query = true } = options;
  if ((scopes !== undefined && !Array.isArray(scopes)) || (allow !== undefined && !Array.isArray(allow))) {
    throw new ConfigError('authenticate: `scopes` and `allow` must be arrays');
  }
  const verifyWarm = typeof auth.verifyWarm === 'function' ? auth.verifyWarm.bind(auth) : undefined;
  return function authenticate(req: Request, res: Response, next: NextFunction): void {
    const headers = nodeHeaderAccessor(req);
    const verifyOptions = {
      httpMethod: req.method,
      scopes,
      allow,
      query: query ? (name: string) => req.query[name] as string | string[] | undefined : undefined,
      csrfToken: csrfField(req.body),
    };
    // A warm request goes on in this turn: an asynchronous next() costs Express about as much as the
    // warm verification itself.
    const warm = verifyWarm?.(headers, verifyOptions);
    if (warm !== undefined) {
      setPrincipal(req, warm);
      next();
      return;
    }
    auth
      .verify(headers, verifyOptions)
      .then(
        (principal) => {
          setPrincipal(req, principal);
          next();
        },
        (err: unknown) => {
          if (optional && err instanceof MissingCredentialsError) {
            setPrincipal(req, undefined);
            next();
            return;
          }
          sendAuthError(res, err);
        },
      );
  };
}
