/**
 * Metadata keys the decorators set and `AuthGuard` reads. Namespaced, so they cannot clash with another
 * library's `scopes` or `public` metadata.
 *
 * @module
 */

/** Set by `@Public()`. */
export const PUBLIC_METADATA = '@auth/nestjs:public';
/** Set by `@Scopes(...)`. */
export const SCOPES_METADATA = '@auth/nestjs:scopes';
/** Set by `@AllowMethods(...)`. */
export const ALLOW_METADATA = '@auth/nestjs:allow';
