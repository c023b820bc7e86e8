/**
 * Who may manage credentials through the management routes, and over what.
 *
 * @module
 */
import { CsrfError, InsufficientScopeError, OAuthError } from '../../errors.js';
import { hasScopes, type Principal } from '../principal.js';
import type { ResolvedManagementOptions } from './management-options.js';

/** A principal allowed to manage: always a user. */
export type ManagingPrincipal = Principal & { userId: string };

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Throw unless `principal` may use the management routes at all: a user, authenticated by an allowed
 * method, holding the manage scope unless it is the browser session. For cookie principals on unsafe
 * methods, a cross-site `Sec-Fetch-Site` is refused here as well; the CSRF token itself is checked by
 * `verify` (which the adapter must call with `httpMethod`).
 */
export function assertMayManage(
  principal: Principal | null | undefined,
  request: Request,
  o: ResolvedManagementOptions,
): asserts principal is ManagingPrincipal {
  const denied = (description: string) => new InsufficientScopeError(description, { scope: o.manageScope });
  if (!principal || typeof principal !== 'object') throw denied('Sign in to manage credentials');
  if (typeof principal.userId !== 'string' || principal.userId === '') throw denied('Only a user can manage credentials');
  if (!o.methods.has(principal.method)) {
    throw denied('This kind of credential cannot manage credentials: sign in, or use a personal token');
  }
  if (principal.method !== 'cookie' && !hasScopes(principal, [o.manageScope])) {
    throw denied(`Managing credentials needs the ${o.manageScope} scope`);
  }
  if (principal.method === 'cookie' && !SAFE.has(request.method)) {
    const site = request.headers.get('sec-fetch-site')?.toLowerCase();
    if (site !== undefined && site !== 'same-origin' && site !== 'none') throw new CsrfError('Cross-site request refused');
  }
}

/** Throw 400 unless every requested scope is one the principal holds (when the ceiling is on). */
export function assertWithinCeiling(principal: ManagingPrincipal, scopes: unknown, o: ResolvedManagementOptions): void {
  if (!o.scopeCeiling || !Array.isArray(scopes)) return;
  const held = new Set(principal.scopes);
  if (scopes.some((s) => typeof s === 'string' && !held.has(s))) {
    throw new OAuthError('invalid_scope', 'A credential cannot have scopes you do not hold yourself', { status: 400 });
  }
}

/** The same 404 whether the id is unknown or belongs to someone else: ids of others are not confirmed. */
export function notYours(what: string): OAuthError {
  return new OAuthError('not_found', `No such ${what}`, { status: 404 });
}
