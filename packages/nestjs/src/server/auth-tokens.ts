/**
 * Injection tokens of `AuthModule`. Symbols, so they never collide with an application's string tokens.
 *
 * @module
 */

/**
 * The `AuthServer` given to `AuthModule` (`createAuthServer(...)` from `@auth/core`).
 *
 * @example
 * ```ts
 * constructor(@Inject(AUTH_SERVER) private readonly auth: AuthServer) {}
 * ```
 */
export const AUTH_SERVER: unique symbol = Symbol.for('@auth/nestjs:AUTH_SERVER');

/** The validated `AuthModuleOptions`. */
export const AUTH_MODULE_OPTIONS: unique symbol = Symbol.for('@auth/nestjs:AUTH_MODULE_OPTIONS');

/** The `SignIn` given as `AuthModuleOptions.signIn`, or `null` when there is none. */
export const AUTH_SIGN_IN: unique symbol = Symbol.for('@auth/nestjs:AUTH_SIGN_IN');

/** The routes `AuthModule` serves ahead of Nest's router (`AuthRoute[]`). */
export const AUTH_ROUTES: unique symbol = Symbol.for('@auth/nestjs:AUTH_ROUTES');
