import {
  type AuthServer,
  ConfigError,
  errorToResponse,
  type FormBody,
  type ManagementHandler,
  nodeHeaderAccessor,
  type Principal,
  type SignIn,
} from '@auth/core';
import { requestContext } from './request-context.js';
import type { AuthModuleOptions } from './auth-module-options.js';
import type { AuthRoute } from './auth-route.js';

/** Check the module options once, at bootstrap: a mistake fails the start, never a request. */
export function validateAuthModuleOptions(options: AuthModuleOptions): AuthModuleOptions {
  if (typeof options !== 'object' || options === null) throw new ConfigError('AuthModule: options are required');
  const server = options.server as Partial<AuthServer> | undefined;
  if (!server || typeof server.verify !== 'function' || typeof server.oauth?.handle !== 'function') {
    throw new ConfigError('AuthModule: `server` must be an AuthServer from createAuthServer()');
  }
  const signIn = options.signIn as Partial<SignIn> | undefined;
  if (signIn !== undefined && (typeof signIn.handle !== 'function' || typeof signIn.matches !== 'function')) {
    throw new ConfigError('AuthModule: `signIn` must come from createSignIn()');
  }
  const management = options.management as Partial<ManagementHandler> | undefined;
  if (management !== undefined && (typeof management.handle !== 'function' || typeof management.matches !== 'function')) {
    throw new ConfigError('AuthModule: `management` must come from createManagementHandler()');
  }
  if (options.publicOrigin !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(options.publicOrigin);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== options.publicOrigin.replace(/\/$/, '')) {
      throw new ConfigError('AuthModule: `publicOrigin` must be an origin such as "https://app.example.com"');
    }
  }
  return options;
}

/** The core handlers the options ask `AuthModule` to serve, in the order they are tried. */
export function authRoutes(options: AuthModuleOptions): AuthRoute[] {
  const routes: AuthRoute[] = [];
  const { server, signIn, management } = options;
  if (options.authorizationServer) {
    routes.push({
      name: 'authorization server',
      matches: (pathname) => server.oauth.matches(pathname),
      handle: (_req, { request, body }) => server.oauth.handle(request, { body }),
      // Token, revocation, introspection: straight from the Node request. A platform that already read the
      // stream left its result on `req.body` (the Web path hands on the same value).
      direct: (req, pathname) =>
        server.oauth.serveBackChannel({
          method: (req.method ?? 'GET').toUpperCase(),
          pathname,
          headers: nodeHeaderAccessor(req),
          body: req.readableEnded ? (req.body as FormBody) : req,
        }),
    });
  }
  if (signIn) {
    routes.push({
      name: 'sign-in',
      matches: (pathname) => signIn.matches(pathname),
      handle: (_req, { request, body }) => signIn.handle(request, { body }),
    });
  }
  if (management) {
    routes.push({
      name: 'management',
      matches: (pathname) => management.matches(pathname),
      async handle(req, { request, body }) {
        // The caller is verified exactly as AuthGuard would (httpMethod and the form `_csrf` make cookie
        // requests CSRF-checked); the handler then decides whether that principal may manage credentials.
        const { getHeader, httpMethod, query, csrfToken } = requestContext(req);
        let principal: Principal;
        try {
          principal = await server.verify(getHeader, { httpMethod, query, csrfToken });
        } catch (error) {
          return errorToResponse(error);
        }
        return management.handle(request, { principal, body });
      },
    });
  }
  return routes;
}
