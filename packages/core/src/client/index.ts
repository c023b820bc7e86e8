/**
 * The client half of `@auth/core`: credentials for calling APIs.
 *
 * @module
 */
export type { AppliedCredential, CredentialRequestOptions, CredentialSource } from './credential-source.js';
export { withCredentialNow } from './credential-source.js';
export { apiKey, DEFAULT_API_KEY_HEADER, type ApiKeyOptions } from './api-key.js';
export { bearer } from './bearer.js';
export { secret } from './secret.js';
export type { HttpOptions, RetryOptions } from './http-options.js';
export type { TokenSet } from './token-set.js';
export { parseTokenResponse } from './token-set.js';
export type { Grant, ScopeOption, TokenGrantType } from './grant.js';
export type { TokenEndpointOptions } from './server-endpoints.js';
export type { ConfidentialClientOptions } from './confidential-client.js';
export { clientCredentials, type ClientCredentialsOptions } from './client-credentials-grant.js';
export { passwordGrant, type PasswordGrantOptions } from './password-grant.js';
export {
  authorizationCode,
  type AuthorizationCodeClientAuth,
  type AuthorizationCodeGrant,
  type AuthorizationCodeOptions,
  type AuthorizationRequest,
  type AuthorizationRequestOptions,
  type AuthorizationServerOptions,
} from './authorization-code-grant.js';
export type { AuthorizationTransaction, CallbackInput } from './authorization-callback.js';
export { discover, type AuthorizationServerMetadata } from './discovery.js';
export { basicAuthorization } from './client-authentication.js';
export type { CompareAndSetResult, StoredTokenSet, TokenStore, TokenStoreLock } from './token-store.js';
export { memoryTokenStore, type MemoryTokenStoreOptions } from './memory-token-store.js';
export { createTokenManager, type TokenManager, type TokenManagerOptions } from './token-manager.js';
export { authFetch, type AuthenticatedFetch, type AuthFetchOptions } from './auth-fetch.js';
export { parseRetryAfter, retryDelay } from './retry-delay.js';
export * from './sign-in/index.js';
