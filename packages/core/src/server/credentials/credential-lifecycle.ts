/**
 * The life of a stored credential, shared by every manager: issue, look up, list, revoke, regenerate.
 * Every change that can make a credential fail is published on the invalidation bus so verifier caches
 * drop it at once.
 *
 * @module
 */
import { randomId } from '../../crypto/random.js';
import { secretHint, type SecretKind } from '../../crypto/token-format.js';
import type { ServerContext } from '../context.js';
import type { CredentialFilter, CredentialKind, CredentialRecord } from '../store.js';
import { toCredentialView, type CredentialView, type IssuedCredential } from './credential-view.js';
import { invalidInput, notFound } from './credential-input.js';

/** The fields of a credential the caller chooses. */
export interface CredentialFields {
  name: string;
  userId: string | null;
  businessId: string | null;
  clientId: string | null;
  scopes: string[];
  expiresAt: number | null;
}

/** Lifecycle operations for one credential kind. */
export interface CredentialLifecycle {
  issue(fields: CredentialFields): Promise<IssuedCredential>;
  /** The record of this kind, or null (unknown id, or a credential of another kind). */
  find(id: string): Promise<CredentialRecord | null>;
  /** The public view of {@link CredentialLifecycle.find}. */
  get(id: string): Promise<CredentialView | null>;
  list(filter: Omit<CredentialFilter, 'kind'>): Promise<CredentialView[]>;
  revoke(id: string): Promise<CredentialView | null>;
  /**
   * Issue a successor with the same fields (and the same lifetime, counted from now), then retire the
   * old one: revoked at once when `overlapMs` is 0, else expiring at `now + overlapMs` at the latest.
   */
  regenerate(id: string, overlapMs: number): Promise<IssuedCredential>;
  /** Retire a record as `regenerate` does. */
  retire(record: CredentialRecord, overlapMs: number): Promise<void>;
}

/**
 * Stop a credential working: revoked at once when `overlapMs` is 0, else expiring at `now + overlapMs`
 * at the latest. Published on the invalidation bus either way, so cached copies are dropped.
 */
export async function retireCredential(ctx: ServerContext, record: CredentialRecord, overlapMs: number): Promise<void> {
  if (record.revokedAt !== null) return;
  const now = ctx.now();
  if (overlapMs > 0) {
    const until = now + overlapMs;
    if (record.expiresAt === null || record.expiresAt > until) {
      await ctx.store.updateCredential(record.id, { expiresAt: until });
    }
  } else {
    await ctx.store.updateCredential(record.id, { revokedAt: now });
  }
  ctx.invalidation.publish({ type: 'credential', id: record.id, hash: record.hash });
}

/** Build the lifecycle for `kind`, issuing secrets of `secretKind`. `label` names it in errors. */
export function credentialLifecycle(
  ctx: ServerContext,
  kind: CredentialKind,
  secretKind: SecretKind,
  label: string,
): CredentialLifecycle {
  const find = async (id: string) => {
    if (typeof id !== 'string' || id === '') return null;
    const record = await ctx.store.getCredential(id);
    return record && record.kind === kind ? record : null;
  };

  const issue = async (fields: CredentialFields): Promise<IssuedCredential> => {
    const secret = ctx.newSecret(secretKind);
    const record: CredentialRecord = {
      id: randomId(20),
      kind,
      hash: ctx.hash(secret),
      hint: secretHint(secret),
      ...fields,
      createdAt: ctx.now(),
      revokedAt: null,
      lastUsedAt: null,
    };
    await ctx.store.createCredential(record);
    return { secret, credential: toCredentialView(record) };
  };

  const retire = (record: CredentialRecord, overlapMs: number) => retireCredential(ctx, record, overlapMs);

  return {
    issue,
    find,
    async get(id) {
      const record = await find(id);
      return record ? toCredentialView(record) : null;
    },
    async list(filter) {
      const records = await ctx.store.listCredentials({ ...filter, kind });
      return records.map(toCredentialView);
    },
    async revoke(id) {
      const record = await find(id);
      if (!record) return null;
      await retire(record, 0);
      const updated = await ctx.store.getCredential(record.id);
      return updated ? toCredentialView(updated) : null;
    },
    async regenerate(id, overlapMs) {
      const record = await find(id);
      if (!record) throw notFound(label);
      if (record.revokedAt !== null) throw invalidInput(`The ${label} is revoked; create a new one`);
      const lifetime = record.expiresAt === null ? null : Math.max(0, record.expiresAt - record.createdAt);
      // The successor exists before the old secret is retired, so there is no moment without one.
      const issued = await issue({
        name: record.name,
        userId: record.userId,
        businessId: record.businessId,
        clientId: record.clientId,
        scopes: record.scopes,
        expiresAt: lifetime === null ? null : ctx.now() + lifetime,
      });
      await retire(record, overlapMs);
      return issued;
    },
    retire,
  };
}
