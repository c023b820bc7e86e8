/**
 * Personal and direct access tokens (seeds 003, 004): long-lived bearer tokens a user creates in
 * developer settings, optionally bound to one business.
 *
 * @module
 */
import type { ServerContext } from '../context.js';
import { credentialLifecycle } from './credential-lifecycle.js';
import { checkExpiry, checkId, checkName, checkOptionalId, checkScopes, type ExpiryInput } from './credential-input.js';
import type { CredentialView, IssuedCredential } from './credential-view.js';

/** Input of {@link PersonalTokenManager.create}. */
export type CreatePersonalTokenInput = {
  name: string;
  userId: string;
  /** Bind the token to one business (a "direct access token" for an integration). */
  businessId?: string | null;
  scopes: readonly string[];
} & ExpiryInput;

/** Filter of {@link PersonalTokenManager.list}. */
export interface PersonalTokenFilter {
  userId?: string;
  businessId?: string;
  includeRevoked?: boolean;
}

/** Create, list, revoke and regenerate personal / direct access tokens (sent as `Bearer`). */
export interface PersonalTokenManager {
  /** Issue a token. The plaintext `secret` is returned here only. */
  create(input: CreatePersonalTokenInput): Promise<IssuedCredential>;
  list(filter?: PersonalTokenFilter): Promise<CredentialView[]>;
  get(id: string): Promise<CredentialView | null>;
  revoke(id: string): Promise<CredentialView | null>;
  /** The "refresh icon" of seed 003: a new token with the same settings; the old one is revoked at once. */
  regenerate(id: string): Promise<IssuedCredential>;
}

/** Build the personal token manager. */
export function createPersonalTokenManager(ctx: ServerContext): PersonalTokenManager {
  const life = credentialLifecycle(ctx, 'personal_token', 'personalToken', 'personal access token');
  return {
    async create(input) {
      return life.issue({
        name: checkName(input?.name),
        userId: checkId(input.userId, 'userId'),
        businessId: checkOptionalId(input.businessId, 'businessId'),
        clientId: null,
        scopes: checkScopes(input.scopes),
        expiresAt: checkExpiry(input, ctx.now()),
      });
    },
    list: async (filter) =>
      life.list({ userId: filter?.userId, businessId: filter?.businessId, includeRevoked: filter?.includeRevoked }),
    get: (id) => life.get(id),
    revoke: (id) => life.revoke(id),
    regenerate: (id) => life.regenerate(id, 0),
  };
}
