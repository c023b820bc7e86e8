/**
 * Issuance and lifecycle of every long-lived credential: API keys, personal / direct access tokens,
 * `Secret` credentials and OAuth clients with their secrets.
 *
 * Every secret comes from `ctx.newSecret` (kind prefix, 190 random bits, checksum), is returned once and
 * stored only as `ctx.hash(secret)`. Revocations are published on `ctx.invalidation`, so verifiers in the
 * process drop cached copies at once.
 *
 * @module
 */
import type { ServerContext } from '../context.js';
import { createApiKeyManager, type ApiKeyManager } from './api-keys.js';
import { createClientManager, type ClientManager } from './clients.js';
import { createPersonalTokenManager, type PersonalTokenManager } from './personal-tokens.js';
import { createSecretManager, type SecretManager } from './secrets.js';

/** The credential managers of an auth server. */
export interface CredentialManagers {
  apiKeys: ApiKeyManager;
  personalTokens: PersonalTokenManager;
  /** `Authorization: Secret` credentials (seed 003). */
  secrets: SecretManager;
  /** OAuth clients ("Settings -> Apps & API", seed 004). */
  clients: ClientManager;
}

/**
 * Build every credential manager over a server context.
 *
 * @example
 * ```ts
 * const { apiKeys } = createCredentialManagers(ctx);
 * const { secret, credential } = await apiKeys.create({
 *   name: 'CRM sync', userId: 'api-user', businessId: 'b1', scopes: ['contacts:read'],
 * });
 * // show `secret` once; store nothing but `credential.id`
 * ```
 */
export function createCredentialManagers(ctx: ServerContext): CredentialManagers {
  return {
    apiKeys: createApiKeyManager(ctx),
    personalTokens: createPersonalTokenManager(ctx),
    secrets: createSecretManager(ctx),
    clients: createClientManager(ctx),
  };
}

export type { ApiKeyManager, ApiKeyFilter, CreateApiKeyInput } from './api-keys.js';
export type { PersonalTokenManager, PersonalTokenFilter, CreatePersonalTokenInput } from './personal-tokens.js';
export type { SecretManager, SecretFilter, CreateSecretInput, RotateOptions } from './secrets.js';
export type {
  ClientManager,
  ClientListFilter,
  ClientRegistration,
  ClientUpdate,
  ConfidentialClientRegistration,
  PublicClientRegistration,
  RegisterClientInput,
  RotatedClientSecret,
} from './clients.js';
export type { CredentialView, IssuedCredential } from './credential-view.js';
export type { ExpiryInput } from './credential-input.js';
export { authenticateClientSecret } from './client-secret.js';
export { checkRedirectUri } from './redirect-uri.js';
