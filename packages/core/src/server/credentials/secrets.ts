/**
 * Secrets for `Authorization: Secret <secret>` (seed 003): one per developer account (or client), from
 * the CSPRNG, rotated with an overlap so a deployment can switch without downtime.
 *
 * @module
 */
import type { Duration } from '../../util/duration.js';
import type { ServerContext } from '../context.js';
import { credentialLifecycle } from './credential-lifecycle.js';
import {
  checkExpiry,
  checkName,
  checkOptionalId,
  checkOverlap,
  checkScopes,
  invalidInput,
  type ExpiryInput,
} from './credential-input.js';
import type { CredentialView, IssuedCredential } from './credential-view.js';

/** Input of {@link SecretManager.create}. At least one of `userId` and `clientId` is required. */
export type CreateSecretInput = {
  name: string;
  userId?: string | null;
  businessId?: string | null;
  /** The OAuth client the secret belongs to, if any: revoking the client revokes the secret. */
  clientId?: string | null;
  scopes: readonly string[];
} & ExpiryInput;

/** Filter of {@link SecretManager.list}. */
export interface SecretFilter {
  userId?: string;
  businessId?: string;
  clientId?: string;
  includeRevoked?: boolean;
}

/** Options of {@link SecretManager.regenerate}. */
export interface RotateOptions {
  /**
   * How long the old secret keeps working (it expires at `now + overlap`, or earlier if it already
   * did). Default 0: revoked at once.
   */
  overlap?: Duration;
}

/** Create, list, revoke and rotate `Secret` credentials. */
export interface SecretManager {
  /** Issue a secret. The plaintext `secret` is returned here only. */
  create(input: CreateSecretInput): Promise<IssuedCredential>;
  list(filter?: SecretFilter): Promise<CredentialView[]>;
  get(id: string): Promise<CredentialView | null>;
  revoke(id: string): Promise<CredentialView | null>;
  /** A new secret with the same settings; the old one keeps working for `overlap`. */
  regenerate(id: string, options?: RotateOptions): Promise<IssuedCredential>;
}

/** Build the `Secret` manager. */
export function createSecretManager(ctx: ServerContext): SecretManager {
  const life = credentialLifecycle(ctx, 'secret', 'secret', 'secret');
  return {
    async create(input) {
      const userId = checkOptionalId(input?.userId, 'userId');
      const clientId = checkOptionalId(input.clientId, 'clientId');
      if (userId === null && clientId === null) throw invalidInput('A secret needs a `userId` or a `clientId`');
      if (clientId !== null) {
        const client = await ctx.store.getClient(clientId);
        if (!client || client.revokedAt !== null) throw invalidInput('`clientId` names no active client');
      }
      return life.issue({
        name: checkName(input.name),
        userId,
        businessId: checkOptionalId(input.businessId, 'businessId'),
        clientId,
        scopes: checkScopes(input.scopes),
        expiresAt: checkExpiry(input, ctx.now()),
      });
    },
    list: async (filter) =>
      life.list({
        userId: filter?.userId,
        businessId: filter?.businessId,
        clientId: filter?.clientId,
        includeRevoked: filter?.includeRevoked,
      }),
    get: (id) => life.get(id),
    revoke: (id) => life.revoke(id),
    regenerate: async (id, options) => life.regenerate(id, checkOverlap(options?.overlap)),
  };
}
