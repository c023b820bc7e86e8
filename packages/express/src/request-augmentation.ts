/**
 * Typing of what the middlewares put on the request. Augmenting the global `Express.Request` works with
 * both `@types/express` 4 and 5: `express-serve-static-core` extends it in either version.
 *
 * @module
 */
import type { Principal } from '@auth/core';
import type { RequestSignIn } from './request-sign-in.js';

declare global {
  namespace Express {
    interface Request {
      /** Who is calling: set by `authenticate(auth)`, absent on routes it does not guard. */
      auth?: Principal;
      /** The sign-in session of this request: set by `signInRoutes(signIn)` on every request it sees. */
      signIn?: RequestSignIn;
    }
  }
}
