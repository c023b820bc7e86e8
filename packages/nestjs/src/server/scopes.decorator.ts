import { ConfigError } from '@auth/core';
import { SetMetadata } from '@nestjs/common';
import { SCOPES_METADATA } from './route-metadata.js';

/**
 * Scopes a route needs: the principal must hold every one of them, else 403 `insufficient_scope`.
 * On a controller and a method, both lists apply (a method can only add requirements).
 *
 * @example
 * ```ts
 * @Scopes('contacts:write')
 * @Post('contacts')
 * create(@CurrentPrincipal() principal: Principal) {}
 * ```
 */
export function Scopes(...scopes: string[]): MethodDecorator & ClassDecorator {
  for (const scope of scopes) {
    // Checked when the class is defined, so a typo fails at startup rather than on a request.
    if (typeof scope !== 'string' || scope === '' || /\s/.test(scope)) {
      throw new ConfigError('@Scopes(): each scope must be a non-empty string without spaces');
    }
  }
  return SetMetadata(SCOPES_METADATA, scopes);
}
