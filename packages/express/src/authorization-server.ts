/**
 * Mounting the core's OAuth 2.0 authorization server in an Express app.
 *
 * @module
 */
import { type AuthServer, ConfigError, type FormBody, nodeHeaderAccessor, type OAuthServer, type PlainResponse } from '@auth/core';
import type { NextFunction, Request as ExpressRequest, RequestHandler, Response } from 'express';
import { forwardToWebHandler } from './forward-to-web-handler.js';
import { pathnameOf } from './request-path.js';
import { bodyConsumed } from './web-request.js';

/** What the back-channel endpoints read: the body a parser left, or the unread stream itself. */
function backChannelBody(req: ExpressRequest): FormBody {
  if (!bodyConsumed(req)) return req;
  return req.body === undefined || req.body === null ? 'consumed' : (req.body as FormBody);
}

function sendPlain(res: Response, plain: PlainResponse): void {
  res.status(plain.status);
  for (const [name, value] of Object.entries(plain.headers)) res.setHeader(name, value);
  res.end(plain.body ?? undefined);
}

/**
 * Serve the authorization server's endpoints (`/oauth/authorize`, `/oauth/token`, `/oauth/revoke`,
 * `/oauth/introspect`, `/.well-known/oauth-authorization-server`, JWKS, the built-in login and consent
 * pages) and pass every other request on. Form bodies work whether or not the app already ran
 * `express.urlencoded()`; `Set-Cookie` headers and redirects are sent as the core answers them.
 *
 * Mount it at the app's root (paths then match under the issuer's base path), or under a prefix that the
 * core's bare paths follow (`app.use('/auth', authorizationServer(auth))` serves `/auth/oauth/token`).
 *
 * @example
 * ```ts
 * const app = express();
 * app.use(authorizationServer(auth));
 * app.listen(3000);
 * ```
 */
export function authorizationServer(auth: Pick<AuthServer, 'oauth'> | OAuthServer): RequestHandler {
  const oauth: OAuthServer | undefined = typeof auth === 'object' && auth !== null && 'oauth' in auth ? auth.oauth : auth;
  if (!oauth || typeof oauth.handle !== 'function' || typeof oauth.matches !== 'function') {
    throw new ConfigError('authorizationServer: pass the auth server (createAuthServer) or its `oauth`');
  }
  return function authorizationServer(req: ExpressRequest, res: Response, next: NextFunction): void {
    const original = req.originalUrl ?? req.url;
    // The full path first (issuer base path included), then the path below this middleware's mount point.
    const url = oauth.matches(pathnameOf(original)) ? original : oauth.matches(pathnameOf(req.url)) ? req.url : null;
    if (url === null) {
      next();
      return;
    }
    // Token, revocation and introspection answer from the request as it is; the other endpoints
    // (pages, redirects, metadata) go through a Web Request.
    oauth
      .serveBackChannel({ method: req.method, pathname: pathnameOf(url), headers: nodeHeaderAccessor(req), body: backChannelBody(req) })
      .then((plain) => {
        if (plain) sendPlain(res, plain);
        else forwardToWebHandler((request, options) => oauth.handle(request, options), req, res, next, url);
      })
      .catch(next);
  };
}
