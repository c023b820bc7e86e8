import { type AuthServer, ConfigError, type SignIn } from '@auth/core';
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
  return options;
}

/** The core handlers the options ask `AuthModule` to serve, in the order they are tried. */
export function authRoutes(options: AuthModuleOptions): AuthRoute[] {
  const routes: AuthRoute[] = [];
  const { server, signIn } = options;
  if (options.authorizationServer) {
    routes.push({
      name: 'authorization server',
      matches: (pathname) => server.oauth.matches(pathname),
      handle: (_req, { request, body }) => server.oauth.handle(request, { body }),
    });
  }
  if (signIn) {
    routes.push({
      name: 'sign-in',
      matches: (pathname) => signIn.matches(pathname),
      handle: (_req, { request, body }) => signIn.handle(request, { body }),
    });
  }
  return routes;
}
