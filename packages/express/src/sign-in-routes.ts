/**
 * Mounting the core's sign-in routes (`createSignIn`) in an Express app.
 *
 * @module
 */
import { ConfigError, type PreParsedBody, type SignIn } from '@auth/core';
import type { NextFunction, Request as ExpressRequest, RequestHandler, Response } from 'express';
import { pathnameOf } from './request-path.js';
import { requestSignIn } from './request-sign-in.js';
import { sendAuthError } from './send-auth-error.js';
import { formBody } from './form-body.js';
import { toWebRequest } from './web-request.js';
import { sendWebResponse } from './web-response.js';

/**
 * Serve the sign-in routes of `signIn` (login, callback as GET query or POST `form_post`, logout,
 * session; `/auth/*` by default) and put the request's session accessors on `req.signIn` for every
 * other request, which it passes on. Tokens stay server-side; the cookie carries only a sealed session
 * id. Mount it at the app's root: routes match on the full path (`createSignIn({ basePath })`).
 *
 * @example
 * ```ts
 * const signIn = createSignIn({ grant: authorizationCode({ issuer, clientId, clientSecret, redirectUri,
 *   responseMode: 'form_post' }), secrets: [process.env.SIGN_IN_SECRET!] });
 * app.use(signInRoutes(signIn));
 * app.get('/projects', async (req, res) => {
 *   const api = await req.signIn!.fetch('https://api.example.com/v1/projects');
 *   res.status(api.status).json(await api.json());
 * });
 * ```
 */
export function signInRoutes(signIn: SignIn): RequestHandler {
  if (!signIn || typeof signIn.handle !== 'function' || typeof signIn.matches !== 'function') {
    throw new ConfigError('signInRoutes: pass the result of createSignIn(...)');
  }
  return function signInRoutes(req: ExpressRequest, res: Response, next: NextFunction): void {
    req.signIn = requestSignIn(signIn, req.headers.cookie);
    const url = req.originalUrl ?? req.url;
    if (!signIn.matches(pathnameOf(url))) {
      next();
      return;
    }
    let request: Request;
    let body: PreParsedBody | undefined;
    try {
      const parts = toWebRequest(req, url);
      request = parts.request;
      body = formBody(parts.body);
    } catch (err) {
      sendAuthError(res, err);
      return;
    }
    signIn
      .handle(request, { body })
      .then((response) => sendWebResponse(res, response, req.method))
      .catch(next);
  };
}
