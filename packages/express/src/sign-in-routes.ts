/**
 * Mounting the core's sign-in routes (`createSignIn`) in an Express app.
 *
 * @module
 */
import { ConfigError, type SignIn } from '@auth/core';
import type { NextFunction, Request as ExpressRequest, RequestHandler, Response } from 'express';
import { forwardToWebHandler } from './forward-to-web-handler.js';
import { pathnameOf } from './request-path.js';
import { requestSignIn, type RequestSignIn } from './request-sign-in.js';
import { requestSlot } from './request-slot.js';

/** Sets `req.signIn` (see `request-slot.ts`: no property is added to the request). */
const setSignIn = requestSlot<RequestSignIn>('signIn');

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
    setSignIn(req, requestSignIn(signIn, req.headers.cookie));
    const url = req.originalUrl ?? req.url;
    if (!signIn.matches(pathnameOf(url))) {
      next();
      return;
    }
    forwardToWebHandler((request, options) => signIn.handle(request, options), req, res, next, url);
  };
}
