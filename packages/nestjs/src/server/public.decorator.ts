import { SetMetadata } from '@nestjs/common';
import { PUBLIC_METADATA } from './route-metadata.js';

/**
 * Opt a route (method) or a whole controller (class) out of `AuthGuard`. Routes are protected unless
 * they say so, which keeps a forgotten decorator on the safe side.
 *
 * @example
 * ```ts
 * @Public()
 * @Get('health')
 * health() { return { ok: true }; }
 * ```
 */
export function Public(): MethodDecorator & ClassDecorator {
  return SetMetadata(PUBLIC_METADATA, true);
}
