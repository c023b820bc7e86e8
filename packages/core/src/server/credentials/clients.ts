/**
 * OAuth client registration (seed 004 "Settings -> Apps & API"): name, confidential (a secret is
 * generated) or public (PKCE, no secret), exact redirect URIs, grants, scopes, environment.
 *
 * @module
 */
import { randomId } from '../../crypto/random.js';
import { OAuthError } from '../../errors.js';
import type { Duration } from '../../util/duration.js';
import type { ServerContext } from '../context.js';
import type { ClientAuthMethod, ClientPatch, ClientRecord, GrantType } from '../store.js';
import { credentialLifecycle, retireCredential } from './credential-lifecycle.js';
import { checkName, checkOptionalId, checkOverlap, checkScopes, notFound } from './credential-input.js';
import { toCredentialView, type CredentialView } from './credential-view.js';
import { checkRedirectUri } from './redirect-uri.js';

/** Input of {@link ClientManager.register}. */
export interface RegisterClientInput {
  name: string;
  /** `confidential`: can keep a secret (a server); `public`: cannot (mobile, SPA, CLI) and must use PKCE. */
  type: 'confidential' | 'public';
  /** Exact redirect URIs. Required when `grantTypes` includes `authorization_code`. */
  redirectUris?: readonly string[];
  /** Default `['authorization_code', 'refresh_token']`. `client_credentials` needs a confidential client. */
  grantTypes?: readonly GrantType[];
  /** Scopes the client may request. Default none. */
  scopes?: readonly string[];
  /** Free-form label such as `production` or `staging`. */
  environment?: string | null;
  ownerUserId?: string | null;
  businessId?: string | null;
  /** Default `client_secret_basic` for confidential clients, `none` for public ones (the only choice). */
  tokenEndpointAuthMethod?: ClientAuthMethod;
}

/** Result of registering a confidential client: the secret is shown here once. */
export interface ConfidentialClientRegistration {
  client: ClientRecord;
  clientSecret: string;
  /** The stored secret's public view (id, hint), for listing and rotation. */
  secret: CredentialView;
}

/** Result of registering a public client: no secret. */
export interface PublicClientRegistration {
  client: ClientRecord;
  clientSecret?: undefined;
  secret?: undefined;
}

/** Result of {@link ClientManager.register}. */
export type ClientRegistration = ConfidentialClientRegistration | PublicClientRegistration;

/** Fields of {@link ClientManager.update}. */
export type ClientUpdate = Partial<{
  name: string;
  redirectUris: readonly string[];
  grantTypes: readonly GrantType[];
  scopes: readonly string[];
  environment: string | null;
}>;

/** Filter of {@link ClientManager.list}. */
export interface ClientListFilter {
  ownerUserId?: string;
  businessId?: string;
  includeRevoked?: boolean;
}

/** Result of {@link ClientManager.rotateSecret}. */
export interface RotatedClientSecret {
  /** The new secret, shown once. */
  clientSecret: string;
  secret: CredentialView;
}

/** Register and manage OAuth clients and their secrets. */
export interface ClientManager {
  register(input: RegisterClientInput & { type: 'confidential' }): Promise<ConfidentialClientRegistration>;
  register(input: RegisterClientInput & { type: 'public' }): Promise<PublicClientRegistration>;
  register(input: RegisterClientInput): Promise<ClientRegistration>;
  get(clientId: string): Promise<ClientRecord | null>;
  list(filter?: ClientListFilter): Promise<ClientRecord[]>;
  /** Change settings (the type cannot change). Null for an unknown client. */
  update(clientId: string, patch: ClientUpdate): Promise<ClientRecord | null>;
  /**
   * Issue a new client secret. Every older secret keeps working until `now + overlap` (default 0:
   * revoked at once), so a deployment can roll the new one out first.
   */
  rotateSecret(clientId: string, options?: { overlap?: Duration }): Promise<RotatedClientSecret>;
  /** The client's secrets (public views), newest first. */
  listSecrets(clientId: string, options?: { includeRevoked?: boolean }): Promise<CredentialView[]>;
  /** Revoke the client and every credential bound to it. Null for an unknown client. */
  revoke(clientId: string): Promise<ClientRecord | null>;
}

const GRANTS: readonly GrantType[] = ['authorization_code', 'client_credentials', 'password', 'refresh_token'];

function invalidMetadata(description: string): OAuthError {
  return new OAuthError('invalid_client_metadata', description, { status: 400 });
}

function checkGrantTypes(value: unknown): GrantType[] {
  if (!Array.isArray(value) || value.length === 0) throw invalidMetadata('`grantTypes` must be a non-empty array');
  for (const g of value) {
    if (!GRANTS.includes(g)) throw invalidMetadata(`\`grantTypes\` may hold only ${GRANTS.join(', ')}`);
  }
  return [...new Set(value as GrantType[])];
}

function checkRedirectUris(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > 20) throw invalidMetadata('`redirectUris` must be an array of at most 20 URLs');
  const uris = value.map(checkRedirectUri);
  if (new Set(uris).size !== uris.length) throw invalidMetadata('`redirectUris` must not repeat a URI');
  return uris;
}

function checkEnvironment(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !/^[\x20-\x7e]{1,64}$/.test(value)) {
    throw invalidMetadata('`environment` must be 1-64 printable ASCII characters');
  }
  return value;
}

/** Rules that tie the fields together, checked on registration and on every update. */
function checkConsistency(client: Pick<ClientRecord, 'type' | 'grantTypes' | 'redirectUris'>): void {
  if (client.grantTypes.includes('authorization_code') && client.redirectUris.length === 0) {
    throw invalidMetadata('The authorization_code grant needs at least one redirect URI');
  }
  if (client.type === 'public' && client.grantTypes.includes('client_credentials')) {
    throw invalidMetadata('A public client cannot use client_credentials: it has no secret');
  }
  if (
    client.grantTypes.includes('refresh_token') &&
    !client.grantTypes.includes('authorization_code') &&
    !client.grantTypes.includes('password')
  ) {
    throw invalidMetadata('refresh_token needs a grant that issues refresh tokens (authorization_code or password)');
  }
}

/** Build the client manager. */
export function createClientManager(ctx: ServerContext): ClientManager {
  const secrets = credentialLifecycle(ctx, 'client_secret', 'clientSecret', 'client secret');

  const issueSecret = async (client: ClientRecord) =>
    secrets.issue({
      name: `${client.name} secret`.slice(0, 200),
      userId: null,
      businessId: client.businessId,
      clientId: client.clientId,
      scopes: client.scopes,
      expiresAt: null,
    });

  const activeSecrets = (clientId: string) =>
    ctx.store.listCredentials({ kind: 'client_secret', clientId, includeRevoked: false });

  async function register(input: RegisterClientInput): Promise<ClientRegistration> {
    const name = checkName(input?.name);
    const type = input.type;
    if (type !== 'confidential' && type !== 'public') throw invalidMetadata('`type` must be "confidential" or "public"');
    const method = input.tokenEndpointAuthMethod ?? (type === 'public' ? 'none' : 'client_secret_basic');
    if (type === 'public' && method !== 'none') throw invalidMetadata('A public client authenticates with "none" (PKCE)');
    if (type === 'confidential' && method !== 'client_secret_basic' && method !== 'client_secret_post') {
      throw invalidMetadata('A confidential client authenticates with client_secret_basic or client_secret_post');
    }
    const client: ClientRecord = {
      clientId: randomId(24),
      name,
      type,
      redirectUris: checkRedirectUris(input.redirectUris),
      grantTypes: checkGrantTypes(input.grantTypes ?? ['authorization_code', 'refresh_token']),
      scopes: input.scopes === undefined ? [] : checkScopes(input.scopes),
      tokenEndpointAuthMethod: method,
      environment: checkEnvironment(input.environment),
      ownerUserId: checkOptionalId(input.ownerUserId, 'ownerUserId'),
      businessId: checkOptionalId(input.businessId, 'businessId'),
      createdAt: ctx.now(),
      revokedAt: null,
    };
    checkConsistency(client);
    await ctx.store.createClient(client);
    if (type === 'public') return { client };
    const issued = await issueSecret(client);
    return { client, clientSecret: issued.secret, secret: issued.credential };
  }

  return {
    register: register as ClientManager['register'],
    async get(clientId) {
      if (typeof clientId !== 'string' || clientId === '') return null;
      return ctx.store.getClient(clientId);
    },
    list: async (filter) =>
      ctx.store.listClients({
        ownerUserId: filter?.ownerUserId,
        businessId: filter?.businessId,
        includeRevoked: filter?.includeRevoked,
      }),
    async update(clientId, patch) {
      const current = typeof clientId === 'string' && clientId ? await ctx.store.getClient(clientId) : null;
      if (!current) return null;
      if (typeof patch !== 'object' || patch === null) throw invalidMetadata('The update must be an object');
      const changes: ClientPatch = {};
      if (patch.name !== undefined) changes.name = checkName(patch.name);
      if (patch.redirectUris !== undefined) changes.redirectUris = checkRedirectUris(patch.redirectUris);
      if (patch.grantTypes !== undefined) changes.grantTypes = checkGrantTypes(patch.grantTypes);
      if (patch.scopes !== undefined) changes.scopes = checkScopes(patch.scopes);
      if (patch.environment !== undefined) changes.environment = checkEnvironment(patch.environment);
      checkConsistency({ ...current, ...changes });
      const updated = await ctx.store.updateClient(clientId, changes);
      // Grant types, scopes and redirect URIs decide what the client may do: cached copies must go.
      ctx.invalidation.publish({ type: 'client', clientId: current.clientId });
      return updated;
    },
    async rotateSecret(clientId, options) {
      const overlapMs = checkOverlap(options?.overlap);
      const client = typeof clientId === 'string' && clientId ? await ctx.store.getClient(clientId) : null;
      if (!client) throw notFound('client');
      if (client.revokedAt !== null) throw invalidMetadata('The client is revoked');
      if (client.type !== 'confidential') throw invalidMetadata('A public client has no secret');
      const previous = await activeSecrets(client.clientId);
      const issued = await issueSecret(client);
      for (const record of previous) await secrets.retire(record, overlapMs);
      return { clientSecret: issued.secret, secret: issued.credential };
    },
    async listSecrets(clientId, options) {
      const records = await ctx.store.listCredentials({
        kind: 'client_secret',
        clientId,
        includeRevoked: options?.includeRevoked,
      });
      return records.map(toCredentialView);
    },
    async revoke(clientId) {
      const client = typeof clientId === 'string' && clientId ? await ctx.store.getClient(clientId) : null;
      if (!client) return null;
      const updated =
        client.revokedAt === null ? await ctx.store.updateClient(clientId, { revokedAt: ctx.now() }) : client;
      // Every kind bound to the client (client secrets, `Secret` credentials) stops working with it.
      for (const record of await ctx.store.listCredentials({ clientId: client.clientId })) {
        await retireCredential(ctx, record, 0);
      }
      // A public client has no secret to retire: the client event is what stops its cached copies.
      ctx.invalidation.publish({ type: 'client', clientId: client.clientId });
      return updated;
    },
  };
}
