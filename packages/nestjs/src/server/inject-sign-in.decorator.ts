import { Inject } from '@nestjs/common';
import { AUTH_SIGN_IN } from './auth-tokens.js';

/**
 * Inject the `SignIn` given to `AuthModule` (`null` when there is none): read the signed-in session, a
 * fresh access token or an authenticated `fetch` from the request's `Cookie` header.
 *
 * @example
 * ```ts
 * constructor(@InjectSignIn() private readonly signIn: SignIn) {}
 *
 * @Get('profile')
 * async profile(@Headers('cookie') cookie: string | undefined) {
 *   const res = await this.signIn.fetch(cookie)('https://api.example.com/v1/me');
 *   return res.json();
 * }
 * ```
 */
export function InjectSignIn(): PropertyDecorator & ParameterDecorator {
  return Inject(AUTH_SIGN_IN);
}
