/**
 * What each management route does, over the auth server's credential managers. Every operation is
 * scoped to the calling user: the owner comes from the principal, never from the body, and an id
 * belonging to anyone else is a 404 exactly like an unknown id.
 *
 * @module
 */
import { OAuthError } from '../../errors.js';
import type { AuthServer } from '../auth-server.js';
import type { ClientUpdate, RegisterClientInput } from '../credentials/clients.js';
import type { CredentialView } from '../credentials/credential-view.js';
import type { ClientRecord } from '../store.js';
import { assertWithinCeiling, notYours, type ManagingPrincipal } from './management-access.js';
import { expiryFields, overlapField, pick } from './management-body.js';
import type { ManagementArea, ResolvedManagementOptions } from './management-options.js';

/** A route's outcome, serialised as JSON by the handler. */
export interface RouteResult {
  status: number;
  body: unknown;
}

/** Everything a route needs. */
export interface RouteContext {
  auth: AuthServer;
  options: ResolvedManagementOptions;
  principal: ManagingPrincipal;
  body: () => Promise<Record<string, unknown>>;
  includeRevoked: boolean;
}

type CredentialArea = Exclude<ManagementArea, 'apps'>;

const LABELS: Record<CredentialArea, string> = {
  'api-keys': 'API key',
  'personal-tokens': 'personal token',
  secrets: 'secret',
};

function invalid(description: string): OAuthError {
  return new OAuthError('invalid_request', description, { status: 400 });
}

/** The business a new credential is bound to: the caller's, and nothing else. */
function ownBusiness(c: RouteContext, requested: unknown): string | null {
  if (requested !== undefined && requested !== null && requested !== c.principal.businessId) {
    throw invalid('`businessId` can only be the business you are signed in to');
  }
  return c.principal.businessId;
}

function manager(c: RouteContext, area: CredentialArea) {
  return area === 'api-keys' ? c.auth.apiKeys : area === 'personal-tokens' ? c.auth.personalTokens : c.auth.secrets;
}

async function ownCredential(c: RouteContext, area: CredentialArea, id: string): Promise<CredentialView> {
  const view = await manager(c, area).get(id);
  if (!view || view.userId !== c.principal.userId) throw notYours(LABELS[area]);
  return view;
}

async function ownApp(c: RouteContext, clientId: string): Promise<ClientRecord> {
  const client = await c.auth.clients.get(clientId);
  if (!client || client.ownerUserId !== c.principal.userId) throw notYours('app');
  return client;
}

/** `GET /<area>`: the caller's credentials, newest first. */
export async function listCredentials(c: RouteContext, area: CredentialArea): Promise<RouteResult> {
  const items = await manager(c, area).list({ userId: c.principal.userId, includeRevoked: c.includeRevoked });
  return { status: 200, body: { items } };
}

/** `POST /<area>`: issue one; the secret is in this response and nowhere else, ever. */
export async function createCredential(c: RouteContext, area: CredentialArea): Promise<RouteResult> {
  const userId = c.principal.userId;
  if (area === 'api-keys') {
    const body = pick(await c.body(), ['name', 'scopes', 'expiresAt', 'expiresIn', 'businessId']);
    const businessId = ownBusiness(c, body.businessId);
    if (businessId === null) throw invalid('API keys belong to a business: sign in to one first');
    assertWithinCeiling(c.principal, body.scopes, c.options);
    const issued = await c.auth.apiKeys.create({
      name: body.name as string,
      userId,
      businessId,
      scopes: body.scopes as string[],
      ...expiryFields(body),
    });
    return { status: 201, body: issued };
  }
  if (area === 'personal-tokens') {
    const body = pick(await c.body(), ['name', 'scopes', 'expiresAt', 'expiresIn', 'businessId']);
    // Unbound by default (the user's token); bound to the current business only when asked.
    const businessId = body.businessId === undefined || body.businessId === null ? null : ownBusiness(c, body.businessId);
    assertWithinCeiling(c.principal, body.scopes, c.options);
    const issued = await c.auth.personalTokens.create({
      name: body.name as string,
      userId,
      businessId,
      scopes: body.scopes as string[],
      ...expiryFields(body),
    });
    return { status: 201, body: issued };
  }
  const body = pick(await c.body(), ['name', 'scopes', 'expiresAt', 'expiresIn', 'clientId']);
  if (body.clientId !== undefined && body.clientId !== null) {
    if (typeof body.clientId !== 'string') throw invalid('`clientId` must be the id of one of your apps');
    await ownApp(c, body.clientId).catch(() => {
      throw invalid('`clientId` must be the id of one of your apps');
    });
  }
  assertWithinCeiling(c.principal, body.scopes, c.options);
  const issued = await c.auth.secrets.create({
    name: body.name as string,
    userId,
    businessId: c.principal.businessId,
    clientId: (body.clientId as string | null | undefined) ?? null,
    scopes: body.scopes as string[],
    ...expiryFields(body),
  });
  return { status: 201, body: issued };
}

/** `GET /<area>/<id>`. */
export async function getCredential(c: RouteContext, area: CredentialArea, id: string): Promise<RouteResult> {
  return { status: 200, body: { credential: await ownCredential(c, area, id) } };
}

/** `DELETE /<area>/<id>`: revoked at once. */
export async function revokeCredential(c: RouteContext, area: CredentialArea, id: string): Promise<RouteResult> {
  await ownCredential(c, area, id);
  const credential = await manager(c, area).revoke(id);
  if (!credential) throw notYours(LABELS[area]);
  return { status: 200, body: { credential } };
}

/** `POST /<area>/<id>/regenerate`: a new secret, same settings; `secrets` accept `{ overlap }`. */
export async function regenerateCredential(c: RouteContext, area: CredentialArea, id: string): Promise<RouteResult> {
  const body = pick(await c.body(), area === 'secrets' ? ['overlap'] : []);
  await ownCredential(c, area, id);
  const issued = area === 'secrets' ? await c.auth.secrets.regenerate(id, overlapField(body)) : await manager(c, area).regenerate(id);
  return { status: 201, body: issued };
}

/** `GET /apps`. */
export async function listApps(c: RouteContext): Promise<RouteResult> {
  const items = await c.auth.clients.list({ ownerUserId: c.principal.userId, includeRevoked: c.includeRevoked });
  return { status: 200, body: { items } };
}

/** `POST /apps`: register; a confidential app's secret is shown in this response only. */
export async function registerApp(c: RouteContext): Promise<RouteResult> {
  const body = pick(await c.body(), ['name', 'type', 'redirectUris', 'grantTypes', 'scopes', 'environment', 'tokenEndpointAuthMethod']);
  if (body.scopes !== undefined) assertWithinCeiling(c.principal, body.scopes, c.options);
  // Field values are checked by the client manager (400 on anything malformed).
  const registration = await c.auth.clients.register({
    ...(body as unknown as RegisterClientInput),
    ownerUserId: c.principal.userId,
    businessId: c.principal.businessId,
  });
  return { status: 201, body: registration };
}

/** `GET /apps/<id>`. */
export async function getApp(c: RouteContext, clientId: string): Promise<RouteResult> {
  return { status: 200, body: { client: await ownApp(c, clientId) } };
}

/** `PATCH /apps/<id>`: name, redirect URIs, grant types, scopes, environment. */
export async function updateApp(c: RouteContext, clientId: string): Promise<RouteResult> {
  const body = pick(await c.body(), ['name', 'redirectUris', 'grantTypes', 'scopes', 'environment']);
  await ownApp(c, clientId);
  if (body.scopes !== undefined) assertWithinCeiling(c.principal, body.scopes, c.options);
  const client = await c.auth.clients.update(clientId, body as ClientUpdate);
  if (!client) throw notYours('app');
  return { status: 200, body: { client } };
}

/** `DELETE /apps/<id>`: the app and every credential bound to it stop working. */
export async function revokeApp(c: RouteContext, clientId: string): Promise<RouteResult> {
  await ownApp(c, clientId);
  const client = await c.auth.clients.revoke(clientId);
  if (!client) throw notYours('app');
  return { status: 200, body: { client } };
}

/** `GET /apps/<id>/secrets`: the app's secrets (hints only). */
export async function listAppSecrets(c: RouteContext, clientId: string): Promise<RouteResult> {
  await ownApp(c, clientId);
  const items = await c.auth.clients.listSecrets(clientId, { includeRevoked: c.includeRevoked });
  return { status: 200, body: { items } };
}

/** `POST /apps/<id>/secrets`: a new secret; older ones keep working for `overlap` (default 0). */
export async function rotateAppSecret(c: RouteContext, clientId: string): Promise<RouteResult> {
  const body = pick(await c.body(), ['overlap']);
  await ownApp(c, clientId);
  return { status: 201, body: await c.auth.clients.rotateSecret(clientId, overlapField(body)) };
}
