/**
 * The server-side store contract. Every implementation (memory, SQL, ...) passes the same contract suite.
 * Times are epoch milliseconds. Secrets are never stored: only `hash` values (see `hashSecret`).
 *
 * Operations marked ATOMIC must hold under concurrency, across processes for shared stores.
 *
 * @module
 */

/** What a stored credential is. */
export type CredentialKind = 'api_key' | 'personal_token' | 'secret' | 'client_secret';

/** An issued long-lived credential: API key, personal/direct access token, `Secret`, OAuth client secret. */
export interface CredentialRecord {
  /** Public identifier, safe to list and log (never the secret). */
  id: string;
  kind: CredentialKind;
  /** Keyed hash of the full secret. Unique. */
  hash: string;
  /** Last 4 characters of the secret, to help users recognise it in lists. */
  hint: string;
  userId: string | null;
  businessId: string | null;
  /** Owning OAuth client, for `client_secret` credentials. */
  clientId: string | null;
  name: string;
  /** Scopes / permission group granted to this credential. */
  scopes: string[];
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

/** Filter for {@link AuthStore.listCredentials}. Unset fields do not filter. */
export interface CredentialFilter {
  kind?: CredentialKind;
  userId?: string;
  businessId?: string;
  clientId?: string;
  /** Include revoked credentials. Default false. */
  includeRevoked?: boolean;
}

/** Fields of a credential that may change after creation. */
export type CredentialPatch = Partial<Pick<CredentialRecord, 'name' | 'scopes' | 'expiresAt' | 'revokedAt'>>;

/** OAuth grant types the authorization server knows. */
export type GrantType = 'authorization_code' | 'client_credentials' | 'password' | 'refresh_token';

/** Client authentication methods at the token endpoint. */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

/** A registered OAuth client ("Settings -> Apps & API"). Its secrets are `client_secret` credentials. */
export interface ClientRecord {
  clientId: string;
  name: string;
  type: 'confidential' | 'public';
  /** Compared by exact string match. */
  redirectUris: string[];
  grantTypes: GrantType[];
  /** Scopes this client may request. */
  scopes: string[];
  tokenEndpointAuthMethod: ClientAuthMethod;
  /** Free-form environment label, e.g. `production`, `staging`. */
  environment: string | null;
  ownerUserId: string | null;
  businessId: string | null;
  createdAt: number;
  revokedAt: number | null;
}

/** Filter for {@link AuthStore.listClients}. */
export interface ClientFilter {
  ownerUserId?: string;
  businessId?: string;
  includeRevoked?: boolean;
}

/** Fields of a client that may change after registration. */
export type ClientPatch = Partial<
  Pick<ClientRecord, 'name' | 'redirectUris' | 'grantTypes' | 'scopes' | 'environment' | 'revokedAt'>
>;

/** An issued authorization code (stored by hash, single use). */
export interface AuthorizationCodeRecord {
  hash: string;
  clientId: string;
  userId: string;
  businessId: string | null;
  redirectUri: string;
  scopes: string[];
  codeChallenge: string | null;
  codeChallengeMethod: 'S256' | null;
  /** Token family the code's tokens will belong to: a replayed code revokes it. */
  familyId: string;
  createdAt: number;
  expiresAt: number;
  consumedAt: number | null;
}

/** Result of {@link AuthStore.consumeAuthorizationCode}. */
export type ConsumeCodeResult =
  | { status: 'consumed'; code: AuthorizationCodeRecord }
  /** The code was already consumed: the caller must revoke `code.familyId`. */
  | { status: 'reused'; code: AuthorizationCodeRecord }
  | { status: 'not_found' };

/** An issued OAuth access or refresh token (stored by hash). */
export interface TokenRecord {
  hash: string;
  type: 'access_token' | 'refresh_token';
  /** Every token descended from one grant (code, password, client credentials) shares a family. */
  familyId: string;
  clientId: string;
  userId: string | null;
  businessId: string | null;
  scopes: string[];
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
  /** Refresh tokens only: when it was redeemed (rotated). */
  rotatedAt: number | null;
  /**
   * Refresh tokens only, once rotated: what lets a repeat redemption inside the grace window get the
   * identical pair. A short marker (`d1.<key id>`) when the pair is derived from the parent (opaque access
   * tokens), the sealed successor response on a JWT server. Opaque to the store; cleared (null) by
   * `deleteExpired` once no replay can be legitimate.
   */
  successor: string | null;
}

/** Input of {@link AuthStore.rotateRefreshToken}. */
export interface RotateRefreshInput {
  /** Hash of the refresh token being redeemed. */
  hash: string;
  now: number;
  /** How long after rotation a repeat of the same token still gets the same successor. */
  graceMs: number;
  /** Records of the successor pair, inserted iff this call performs the rotation. */
  successorRecords: TokenRecord[];
  /** Stored on the parent for replays: the derivation marker or the sealed successor response (see `TokenRecord.successor`). */
  successor: string;
}

/**
 * One token of a successor pair for {@link AuthStore.rotateRefreshTokenFor}: what the token endpoint
 * minted. The store takes the rest from the parent row (see {@link successorRecord}).
 */
export interface SuccessorToken {
  hash: string;
  type: TokenRecord['type'];
  createdAt: number;
  expiresAt: number;
}

/** Input of {@link AuthStore.rotateRefreshTokenFor}. */
export interface RotateRefreshForInput {
  /** Hash of the refresh token being redeemed. */
  hash: string;
  /**
   * The authenticated client: only a token issued to it rotates. Another client's token is left as it
   * is and answered like a rotation that did not win (`invalid`, `replayed` or `reused`); the caller
   * refuses it by `token.clientId`.
   */
  clientId: string;
  now: number;
  /** How long after rotation a repeat of the same token still gets the same successor. */
  graceMs: number;
  /** The successor pair, stored iff this call performs the rotation, as {@link successorRecord} builds it. */
  successors: SuccessorToken[];
  /** Stored on the parent for replays (see `TokenRecord.successor`). */
  successor: string;
}

/**
 * The record a store saves for `successor` when it rotates `parent` in {@link AuthStore.rotateRefreshTokenFor}:
 * the parent's family, client, user, business and scopes, current (not revoked, rotated or holding a successor).
 */
export function successorRecord(parent: TokenRecord, successor: SuccessorToken): TokenRecord {
  return {
    hash: successor.hash,
    type: successor.type,
    familyId: parent.familyId,
    clientId: parent.clientId,
    userId: parent.userId,
    businessId: parent.businessId,
    scopes: [...parent.scopes],
    createdAt: successor.createdAt,
    expiresAt: successor.expiresAt,
    revokedAt: null,
    rotatedAt: null,
    successor: null,
  };
}

/** Result of {@link AuthStore.rotateRefreshToken} and {@link AuthStore.rotateRefreshTokenFor}. */
export type RotateRefreshResult =
  /** This call rotated the token; `successorRecords` were stored. */
  | { status: 'rotated'; token: TokenRecord }
  /** Already rotated inside the grace window: answer with the stored `successor` (identical pair). */
  | { status: 'replayed'; token: TokenRecord; successor: string }
  /** Rotated before the grace window: reuse. The caller must revoke `token.familyId`. */
  | { status: 'reused'; token: TokenRecord }
  /** Unknown, expired, revoked, or not a refresh token. */
  | { status: 'invalid'; token: TokenRecord | null };

/**
 * Server-side persistence. One instance may be shared by many `createAuthServer` calls and processes
 * (for shared stores).
 */
export interface AuthStore {
  // -- credentials ---------------------------------------------------------------------------------
  createCredential(record: CredentialRecord): Promise<void>;
  /** Look up by secret hash. Returns revoked and expired records too; callers decide. */
  findCredentialByHash(hash: string): Promise<CredentialRecord | null>;
  getCredential(id: string): Promise<CredentialRecord | null>;
  /** Newest first. */
  listCredentials(filter: CredentialFilter): Promise<CredentialRecord[]>;
  updateCredential(id: string, patch: CredentialPatch): Promise<CredentialRecord | null>;
  /** Batch write of last-used times (id -> epoch ms). Only ever moves a time forward. */
  touchCredentials(lastUsed: ReadonlyMap<string, number>): Promise<void>;

  // -- OAuth clients -------------------------------------------------------------------------------
  createClient(record: ClientRecord): Promise<void>;
  getClient(clientId: string): Promise<ClientRecord | null>;
  /** Newest first. */
  listClients(filter: ClientFilter): Promise<ClientRecord[]>;
  updateClient(clientId: string, patch: ClientPatch): Promise<ClientRecord | null>;

  // -- authorization codes -------------------------------------------------------------------------
  saveAuthorizationCode(record: AuthorizationCodeRecord): Promise<void>;
  /**
   * ATOMIC: mark the code consumed iff it is not consumed yet. Exactly one of any number of concurrent
   * callers gets `consumed`; the rest get `reused`. Expiry is checked by the caller.
   */
  consumeAuthorizationCode(hash: string, now: number): Promise<ConsumeCodeResult>;

  // -- tokens --------------------------------------------------------------------------------------
  saveTokens(records: TokenRecord[]): Promise<void>;
  findToken(hash: string): Promise<TokenRecord | null>;
  /**
   * ATOMIC: rotate a refresh token iff it is current (not rotated, not revoked, not expired at `now`).
   * Of N concurrent calls on one token exactly one gets `rotated`; the others get `replayed` (within the
   * grace window) with the successor the winner stored.
   */
  rotateRefreshToken(input: RotateRefreshInput): Promise<RotateRefreshResult>;
  /**
   * OPTIONAL, ATOMIC: {@link rotateRefreshToken} for a token of `input.clientId` whose successors inherit
   * the parent's family, client, user, business and scopes ({@link successorRecord}), so the token
   * endpoint need not read the parent first: one store operation per refresh instead of two (on
   * Postgres, one round trip). Same outcomes as `rotateRefreshToken`, plus: a token of another client
   * never rotates (it gets what a lost rotation gets). The built-in stores implement it; a store without
   * it gets the read, then `rotateRefreshToken`.
   */
  rotateRefreshTokenFor?(input: RotateRefreshForInput): Promise<RotateRefreshResult>;
  /** Revoke one token by hash. Returns the record (revoked) or null if unknown. */
  revokeToken(hash: string, now: number): Promise<TokenRecord | null>;
  /** Revoke every token of a family. Returns how many were newly revoked. */
  revokeFamily(familyId: string, now: number): Promise<number>;

  // -- housekeeping --------------------------------------------------------------------------------
  /** Delete codes and tokens expired before `now`, and clear successors older than the grace. */
  deleteExpired(now: number): Promise<number>;
  /** Release connections. */
  close?(): Promise<void>;
}
