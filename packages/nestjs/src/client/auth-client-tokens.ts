/**
 * Injection tokens of `AuthClientModule`.
 *
 * @module
 */

/** The options of one `AuthClientModule.register()` (module-private: each registration has its own). */
export const AUTH_CLIENT_OPTIONS: unique symbol = Symbol.for('@auth/nestjs:AUTH_CLIENT_OPTIONS');

/** Name of the client registered without a `name`. */
export const DEFAULT_AUTH_CLIENT = 'default';

/**
 * The injection token of the `AuthClient` registered under `name`: a symbol per name, so two
 * registrations never shadow each other.
 *
 * @example
 * ```ts
 * const crm = app.get<AuthClient>(getAuthClientToken('crm'));
 * ```
 */
export function getAuthClientToken(name: string = DEFAULT_AUTH_CLIENT): symbol {
  return Symbol.for(`@auth/nestjs:AuthClient:${name}`);
}
