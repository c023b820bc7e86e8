import { AUTH_METHODS, type AuthMethod, ConfigError } from '@auth/core';
import { SetMetadata } from '@nestjs/common';
import { ALLOW_METADATA } from './route-metadata.js';

const METHODS: ReadonlySet<AuthMethod> = new Set(AUTH_METHODS);

/**
 * The authentication methods a route (or controller) accepts, passed to the core's `verify` as
 * `allow`. `Secret` is opt-in per route, so this is how an endpoint opens itself to it. A method's list
 * replaces the controller's.
 *
 * @example
 * ```ts
 * @AllowMethods('secret')
 * @Get('reports/export')
 * export() {}
 * ```
 */
export function AllowMethods(...methods: AuthMethod[]): MethodDecorator & ClassDecorator {
  if (methods.length === 0) throw new ConfigError('@AllowMethods(): name at least one method');
  for (const method of methods) {
    if (!METHODS.has(method)) throw new ConfigError('@AllowMethods(): unknown authentication method');
  }
  return SetMetadata(ALLOW_METADATA, methods);
}
