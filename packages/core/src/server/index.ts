export * from './store.js';
export * from './principal.js';
export {
  createServerContext,
  createInvalidationBus,
  type AccountsAdapter,
  type InvalidationBus,
  type InvalidationEvent,
  type Lifetimes,
  type Logger,
  type ServerContext,
  type ServerCoreOptions,
} from './context.js';
export { createAuthServer, type AuthServer, type AuthServerOptions } from './auth-server.js';
// Module exports are added by each area (verify/, credentials/, cookies/, oauth/).
// verify/ (the per-request hot path)
export {
  createVerifier,
  type AccessTokenVerifier,
  type Verifier,
  type VerifierDeps,
  type VerifyOptions,
} from './verify/verifier.js';
export type {
  BearerOptions,
  LegacyApiKeyOptions,
  VerifierCacheOptions,
  VerifierMethods,
} from './verify/verifier-options.js';
export { nodeHeaderAccessor, type HeaderAccessor, type NodeHeaderSource, type QueryAccessor } from './verify/header-accessor.js';
// cookies/ (sealed session cookies and CSRF)
export {
  createSessionCookies,
  type CsrfOptions,
  type CsrfRequest,
  type IssuedSession,
  type SameSite,
  type Session,
  type SessionCookieOptions,
  type SessionCookies,
  type SessionCache,
  type SessionInput,
  type SessionReadResult,
} from './cookies/session-cookies.js';
// credentials/ (issuance and lifecycle)
export * from './credentials/index.js';
// oauth/ (the authorization server)
export * from './oauth/index.js';
// management/ (credential management routes for the signed-in user)
export * from './management/index.js';
