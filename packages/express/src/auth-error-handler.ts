/**
 * An Express error-handling middleware for the library's errors.
 *
 * @module
 */
import { OAuthError } from '@auth/core';
import type { ErrorRequestHandler, NextFunction, Request, Response } from 'express';
import { sendAuthError } from './send-auth-error.js';

/** Options of {@link authErrorHandler}. */
export interface AuthErrorHandlerOptions {
  /**
   * Also render errors that are neither protocol errors nor body-parser errors (anything else, your own
   * included) as a generic 500 `server_error`, instead of passing them on. Default false.
   */
  all?: boolean;
}

/**
 * A client error from Express's body parsers (`express.json()`, `express.urlencoded()`...): malformed
 * or oversize bodies. They mark every error with a `type` and a 4xx `status`.
 */
function bodyParserError(err: unknown): OAuthError | null {
  if (typeof err !== 'object' || err === null) return null;
  const { type, status, expose } = err as { type?: unknown; status?: unknown; expose?: unknown };
  if (typeof type !== 'string' || expose !== true || typeof status !== 'number' || status < 400 || status > 499) return null;
  // A fixed description: the parser's message can quote the body.
  return new OAuthError('invalid_request', status === 413 ? 'The request body is too large' : 'The request body could not be read', {
    status,
    cause: err,
  });
}

/**
 * Render the library's protocol errors thrown by your routes (an `InsufficientScopeError`, the
 * `ReauthenticationRequiredError` of `req.signIn.getAccessToken()` when the session is gone...) and the
 * body parsers' 4xx errors in the standard format: status, `WWW-Authenticate`, JSON body. Other errors go
 * to the next error handler unless `all` is set. Mount it after your routes.
 *
 * @example
 * ```ts
 * app.get('/profile', async (req, res) => res.json(await (await req.signIn!.fetch(`${API}/me`)).json()));
 * app.use(authErrorHandler());
 * ```
 */
export function authErrorHandler(options: AuthErrorHandlerOptions = {}): ErrorRequestHandler {
  const all = options.all === true;
  return function authErrorHandler(err: unknown, _req: Request, res: Response, next: NextFunction): void {
    // A response already under way cannot change its status: Express closes the connection instead.
    if (res.headersSent) {
      next(err);
      return;
    }
    if (err instanceof OAuthError) {
      sendAuthError(res, err);
      return;
    }
    const parserError = bodyParserError(err);
    if (parserError) {
      sendAuthError(res, parserError);
      return;
    }
    if (all) {
      sendAuthError(res, err);
      return;
    }
    next(err);
  };
}
