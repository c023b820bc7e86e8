/**
 * Sign users in to another API: login, callback, logout and session routes, tokens kept server-side.
 *
 * @module
 */
export {
  createSignIn,
  type CookieSource,
  type SignIn,
  type SignInHandleOptions,
  type SignInSession,
} from './sign-in.js';
export type { SignInCookieOptions, SignInOptions, SignInPaths } from './sign-in-options.js';
export {
  memorySignInSessionStore,
  type MemorySignInSessionStoreOptions,
  type SignInSessionRecord,
  type SignInSessionStore,
  type SignInUser,
} from './session-store.js';
export { safeReturnTo } from './return-to.js';
