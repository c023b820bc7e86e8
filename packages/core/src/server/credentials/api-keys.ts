/**
 * API keys (seed 000): one key per user per business, sent with `X-BUSINESS-ID` and `X-USER-ID`.
 *
 * @module
 */
import type { ServerContext } from '../context.js';
import { credentialLifecycle } from './credential-lifecycle.js';
import { checkExpiry, checkId, checkName, checkScopes, type ExpiryInput } from './credential-input.js';
import type { CredentialView, IssuedCredential } from './credential-view.js';

/** Input of {@link ApiKeyManager.create}. */
export type CreateApiKeyInput = {
  name: string;
  /** The user the key acts as (seed 000 recommends a dedicated API user). */
  userId: string;
  businessId: string;
  /**
   * The key's permission group. Verification intersects it with the user's current permissions, so it
   * can only narrow what the user may do.
   */
  scopes: readonly string[];
} & ExpiryInput;

/** Filter of {@link ApiKeyManager.list}. */
export interface ApiKeyFilter {
  userId?: string;
  businessId?: string;
  includeRevoked?: boolean;
}

/**
 * Create, list, revoke and regenerate API keys. The managers do not check who is asking: the host
 * application authorises the caller (e.g. lists only the signed-in user's keys) before calling them.
 */
export interface ApiKeyManager {
  /** Issue a key. The plaintext `secret` is returned here only. */
  create(input: CreateApiKeyInput): Promise<IssuedCredential>;
  /** Keys matching the filter, newest first, without hashes or secrets. */
  list(filter?: ApiKeyFilter): Promise<CredentialView[]>;
  get(id: string): Promise<CredentialView | null>;
  /** Revoke at once (every verifier in this process forgets it immediately). Null for an unknown id. */
  revoke(id: string): Promise<CredentialView | null>;
  /** Issue a new secret with the same settings; the old one is revoked at once. */
  regenerate(id: string): Promise<IssuedCredential>;
}

/** Build the API key manager. */
export function createApiKeyManager(ctx: ServerContext): ApiKeyManager {
  const life = credentialLifecycle(ctx, 'api_key', 'apiKey', 'API key');
  return {
    async create(input) {
      return life.issue({
        name: checkName(input?.name),
        userId: checkId(input.userId, 'userId'),
        businessId: checkId(input.businessId, 'businessId'),
        clientId: null,
        scopes: checkScopes(input.scopes),
        expiresAt: checkExpiry(input, ctx.now()),
      });
    },
    async list(filter) {
      return life.list({
        userId: filter?.userId,
        businessId: filter?.businessId,
        includeRevoked: filter?.includeRevoked,
      });
    },
    get: (id) => life.get(id),
    revoke: (id) => life.revoke(id),
    regenerate: (id) => life.regenerate(id, 0),
  };
}
