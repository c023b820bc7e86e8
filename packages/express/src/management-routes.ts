/**
 * Mounting the core's credential management routes (`createManagementHandler`) in an Express app.
 *
 * @module
 */
import { type AuthServer, ConfigError, createManagementHandler, type ManagementHandler, type ManagementOptions } from '@auth/core';
import type { NextFunction, Request as ExpressRequest, RequestHandler, Response } from 'express';
import { authenticate } from './authenticate.js';
import { pathnameOf } from './request-path.js';
import { sendAuthError } from './send-auth-error.js';
import { toWebRequest } from './web-request.js';
import { sendWebResponse } from './web-response.js';

function isHandler(value: unknown): value is ManagementHandler {
  return typeof value === 'object' && value !== null && typeof (value as ManagementHandler).handle === 'function';
}

/**
 * Serve the credential management routes for the calling user (`/account/api-keys`,
 * `/account/personal-tokens`, `/account/secrets`, `/account/apps` by default: create, list, revoke,
 * regenerate, rotate app secrets) and pass every other request on. Off unless you mount it.
 *
 * The caller is `req.auth` when an earlier `authenticate(auth)` set it; otherwise these routes verify
 * the request themselves (CSRF included for the session cookie). Who may manage is the core's decision:
 * by default the signed-in user's session cookie, or a personal token with `credentials:manage`.
 * JSON bodies work whether or not the app ran `express.json()`.
 *
 * @example
 * ```ts
 * app.use(managementRoutes(auth));                                  // /account/...
 * app.use(managementRoutes(auth, { basePath: '/settings', allow: { secrets: false } }));
 * ```
 */
export function managementRoutes(auth: AuthServer, management?: ManagementHandler | ManagementOptions): RequestHandler {
  if (!auth || typeof auth.verify !== 'function') throw new ConfigError('managementRoutes: pass the auth server');
  const handler = isHandler(management) ? management : createManagementHandler(auth, management);
  const verify = authenticate(auth);
  return function managementRoutes(req: ExpressRequest, res: Response, next: NextFunction): void {
    const url = req.originalUrl ?? req.url;
    if (!handler.matches(pathnameOf(url))) {
      next();
      return;
    }
    const serve = () => {
      let request: Request;
      let body: unknown;
      try {
        ({ request, body } = toWebRequest(req, url));
      } catch (err) {
        sendAuthError(res, err);
        return;
      }
      // express.raw() leaves bytes; the core reads JSON from text or from an object.
      if (Buffer.isBuffer(body)) body = body.toString('utf8');
      handler
        .handle(request, { principal: req.auth!, body })
        .then((response) => sendWebResponse(res, response, req.method))
        .catch(next);
    };
    if (req.auth) serve();
    else verify(req, res, serve);
  };
}
