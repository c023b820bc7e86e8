import type { AuthServer, ManagementHandler, SignIn } from '@auth/core';

/**
 * Options of `AuthModule.forRoot()` (or what the `forRootAsync()` factory returns).
 *
 * @example
 * ```ts
 * const options: AuthModuleOptions = { server: createAuthServer({ ... }), authorizationServer: true };
 * ```
 */
export interface AuthModuleOptions {
  /** The server half: `createAuthServer(...)` from `@auth/core`. Injected as `AUTH_SERVER`. */
  server: AuthServer;
  /**
   * Serve the OAuth 2.0 authorization server (`server.oauth`: authorize, token, revoke, introspect,
   * metadata, JWKS, built-in login and consent) at the paths it matches. Default `false`.
   */
  authorizationServer?: boolean;
  /**
   * Sign users in to another API: `createSignIn(...)` from `@auth/core`. Its login, callback, logout and
   * session routes are served, and it is injected as `AUTH_SIGN_IN` (`@InjectSignIn()`).
   */
  signIn?: SignIn;
  /**
   * Credential management routes for the signed-in user: `createManagementHandler(server, ...)` from
   * `@auth/core`. Off unless given. Each request is verified (session cookie with CSRF, or a personal
   * token with the manage scope, by default) before the handler sees it.
   */
  management?: ManagementHandler;
  /**
   * The application's public origin (`https://app.example.com`), used for the URL of the Web requests
   * handed to the core. Set it behind a TLS-terminating proxy: sign-in compares a logout's `Origin` with
   * it. Default: from the request (Express's `req.protocol`, which honours `trust proxy`, else the
   * socket) and its `Host` header.
   */
  publicOrigin?: string;
}

/** Options decided when the module is imported, even with `forRootAsync()`. */
export interface AuthModuleExtras {
  /** Make `AUTH_SERVER`, `AUTH_SIGN_IN` and `AuthGuard`'s dependencies visible to every module. Default `false`. */
  isGlobal?: boolean;
  /** Register `AuthGuard` as a global guard (`APP_GUARD`): every route protected unless `@Public()`. Default `false`. */
  globalGuard?: boolean;
}
