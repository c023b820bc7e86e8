import type { Principal } from '@auth/core';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/** A request `AuthGuard` authenticated: the principal is on `auth`, as in the Express and Fastify adapters. */
export interface AuthenticatedRequest {
  auth?: Principal | null;
}

/**
 * The `Principal` `AuthGuard` established for this request, or one of its fields. `null` on a
 * `@Public()` route (nobody was authenticated).
 *
 * @example
 * ```ts
 * @Get('me')
 * me(@CurrentPrincipal() principal: Principal, @CurrentPrincipal('userId') userId: string | null) {}
 * ```
 */
export const CurrentPrincipal: (field?: keyof Principal) => ParameterDecorator = createParamDecorator(
  (field: keyof Principal | undefined, context: ExecutionContext) => {
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().auth ?? null;
    if (!field) return principal;
    return principal ? principal[field] : null;
  },
);
