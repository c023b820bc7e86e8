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
   * Also render errors that are not protocol errors (anything else, including your own) as a generic
   * 500 `server_error`, instead of passing them on to the next error handler. Default false.
   */
  all?: boolean;
}

/**
 * Render the library's protocol errors thrown by your routes (an `InsufficientScopeError`, the
 * `ReauthenticationRequiredError` of `req.signIn.getAccessToken()` when the session is gone...) in the
 * standard format: status, `WWW-Authenticate`, JSON body. Other errors go to the next error handler
 * unless `all` is set. Mount it after your routes.
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
    if (res.headersSent) return next(err);
    if (all || err instanceof OAuthError) {
      sendAuthError(res, err);
      return;
    }
    next(err);
  };
}
