import {
  type AuthStore,
  type AuthorizationCodeRecord,
  type ClientFilter,
  type ClientPatch,
  type ClientRecord,
  type ConsumeCodeResult,
  type CredentialFilter,
  type CredentialPatch,
  type CredentialRecord,
  type RotateRefreshForInput,
  type RotateRefreshInput,
  type RotateRefreshResult,
  successorRecord,
  type TokenRecord,
} from '../server/store.js';

const clone = <T>(v: T): T => structuredClone(v);

/**
 * In-memory {@link AuthStore}: for tests and single-process development. Data is lost on exit.
 * Operations are atomic because they never await between reading and writing.
 *
 * @example
 * ```ts
 * const auth = createAuthServer({ issuer, secrets, store: memoryAuthStore() });
 * ```
 */
export function memoryAuthStore(): AuthStore {
  const credentials = new Map<string, CredentialRecord>();
  const credentialIdByHash = new Map<string, string>();
  const clients = new Map<string, ClientRecord>();
  const codes = new Map<string, AuthorizationCodeRecord>();
  const tokens = new Map<string, TokenRecord>();

  const matchCredential = (c: CredentialRecord, f: CredentialFilter) =>
    (f.kind === undefined || c.kind === f.kind) &&
    (f.userId === undefined || c.userId === f.userId) &&
    (f.businessId === undefined || c.businessId === f.businessId) &&
    (f.clientId === undefined || c.clientId === f.clientId) &&
    (f.includeRevoked || c.revokedAt === null);

  /** Both rotations: the same checks in the same order, so a token of another client fails like a lost rotation. */
  function rotate(
    input: Pick<RotateRefreshInput, 'hash' | 'now' | 'graceMs' | 'successor'>,
    clientId: string | undefined,
    successors: (parent: TokenRecord) => readonly TokenRecord[],
  ): RotateRefreshResult {
    const rec = tokens.get(input.hash);
    if (rec?.type !== 'refresh_token') return { status: 'invalid', token: rec ? clone(rec) : null };
    if (rec.revokedAt !== null) return { status: 'invalid', token: clone(rec) };
    if (rec.rotatedAt !== null) {
      if (input.now - rec.rotatedAt <= input.graceMs && rec.successor !== null) {
        return { status: 'replayed', token: clone(rec), successor: rec.successor };
      }
      return { status: 'reused', token: clone(rec) };
    }
    if (rec.expiresAt <= input.now || (clientId !== undefined && rec.clientId !== clientId)) {
      return { status: 'invalid', token: clone(rec) };
    }
    rec.rotatedAt = input.now;
    rec.successor = input.successor;
    for (const r of successors(rec)) tokens.set(r.hash, clone(r));
    return { status: 'rotated', token: clone(rec) };
  }

  return {
    async createCredential(record) {
      if (credentials.has(record.id) || credentialIdByHash.has(record.hash)) {
        throw new Error('Duplicate credential');
      }
      credentials.set(record.id, clone(record));
      credentialIdByHash.set(record.hash, record.id);
    },
    async findCredentialByHash(hash) {
      const id = credentialIdByHash.get(hash);
      const rec = id === undefined ? undefined : credentials.get(id);
      return rec ? clone(rec) : null;
    },
    async getCredential(id) {
      const rec = credentials.get(id);
      return rec ? clone(rec) : null;
    },
    async listCredentials(filter) {
      return [...credentials.values()]
        .filter((c) => matchCredential(c, filter))
        .sort((a, b) => b.createdAt - a.createdAt)
        .map(clone);
    },
    async updateCredential(id, patch: CredentialPatch) {
      const rec = credentials.get(id);
      if (!rec) return null;
      Object.assign(rec, clone(patch));
      return clone(rec);
    },
    async touchCredentials(lastUsed) {
      for (const [id, at] of lastUsed) {
        const rec = credentials.get(id);
        if (rec && (rec.lastUsedAt === null || rec.lastUsedAt < at)) rec.lastUsedAt = at;
      }
    },

    async createClient(record) {
      if (clients.has(record.clientId)) throw new Error('Duplicate client');
      clients.set(record.clientId, clone(record));
    },
    async getClient(clientId) {
      const rec = clients.get(clientId);
      return rec ? clone(rec) : null;
    },
    async listClients(filter: ClientFilter) {
      return [...clients.values()]
        .filter(
          (c) =>
            (filter.ownerUserId === undefined || c.ownerUserId === filter.ownerUserId) &&
            (filter.businessId === undefined || c.businessId === filter.businessId) &&
            (filter.includeRevoked || c.revokedAt === null),
        )
        .sort((a, b) => b.createdAt - a.createdAt)
        .map(clone);
    },
    async updateClient(clientId, patch: ClientPatch) {
      const rec = clients.get(clientId);
      if (!rec) return null;
      Object.assign(rec, clone(patch));
      return clone(rec);
    },

    async saveAuthorizationCode(record) {
      codes.set(record.hash, clone(record));
    },
    async consumeAuthorizationCode(hash, now): Promise<ConsumeCodeResult> {
      const rec = codes.get(hash);
      if (!rec) return { status: 'not_found' };
      if (rec.consumedAt !== null) return { status: 'reused', code: clone(rec) };
      rec.consumedAt = now;
      return { status: 'consumed', code: clone(rec) };
    },

    async saveTokens(records) {
      for (const r of records) tokens.set(r.hash, clone(r));
    },
    async findToken(hash) {
      const rec = tokens.get(hash);
      return rec ? clone(rec) : null;
    },
    async rotateRefreshToken(input: RotateRefreshInput): Promise<RotateRefreshResult> {
      return rotate(input, undefined, () => input.successorRecords);
    },
    async rotateRefreshTokenFor(input: RotateRefreshForInput): Promise<RotateRefreshResult> {
      return rotate(input, input.clientId, (parent) => input.successors.map((s) => successorRecord(parent, s)));
    },
    async revokeToken(hash, now) {
      const rec = tokens.get(hash);
      if (!rec) return null;
      if (rec.revokedAt === null) rec.revokedAt = now;
      return clone(rec);
    },
    async revokeFamily(familyId, now) {
      let n = 0;
      for (const rec of tokens.values()) {
        if (rec.familyId === familyId && rec.revokedAt === null) {
          rec.revokedAt = now;
          n++;
        }
      }
      return n;
    },

    async deleteExpired(now) {
      let n = 0;
      for (const [hash, rec] of codes) {
        if (rec.expiresAt <= now) {
          codes.delete(hash);
          n++;
        }
      }
      for (const [hash, rec] of tokens) {
        if (rec.expiresAt <= now) {
          tokens.delete(hash);
          n++;
        }
      }
      return n;
    },
  };
}
