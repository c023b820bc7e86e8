import { Inject } from '@nestjs/common';
import { DEFAULT_AUTH_CLIENT, getAuthClientToken } from './auth-client-tokens.js';

/**
 * Inject the `AuthClient` registered under `name` with `AuthClientModule.register({ name })`.
 *
 * @example
 * ```ts
 * constructor(@InjectAuthClient('crm') private readonly crm: AuthClient) {}
 * ```
 */
export function InjectAuthClient(name: string = DEFAULT_AUTH_CLIENT): PropertyDecorator & ParameterDecorator {
  return Inject(getAuthClientToken(name));
}
