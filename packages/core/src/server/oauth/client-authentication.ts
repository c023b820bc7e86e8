/**
 * Client authentication at the token, revocation and introspection endpoints (RFC 6749 section 2.3):
 * `client_secret_basic`, `client_secret_post` and `none` for public clients.
 *
 * @module
 */
import { OAuthError } from '../../errors.js';
import type { ServerContext } from '../context.js';
import { liveClientSecret } from '../credentials/client-secret.js';
import { createCredentialCache } from '../verify/credential-cache.js';
import type { ClientAuthMethod, ClientRecord } from '../store.js';
import type { Params } from './request-params.js';

/** A client that proved who it is (or, for public clients, said who it is). */
export interface AuthenticatedClient {
  client: ClientRecord;
  method: ClientAuthMethod;
}

const BASIC_RE = /^basic +([A-Za-z0-9+/]+={0,2}) *$/i;
const MAX_ID = 256;

/** `invalid_client`: 401 with a Basic challenge (HTTP requires a challenge on every 401). */
export function invalidClient(description: string): OAuthError {
  return new OAuthError('invalid_client', description, {
    status: 401,
    headers: { 'www-authenticate': 'Basic realm="oauth", charset="UTF-8"' },
  });
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function formDecode(value: string): string | null {
  // Issued ids and secrets need no decoding: skip the copy on the common path.
  if (!value.includes('%') && !value.includes('+')) return value;
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/**
 * RFC 6749 section 2.3.1: the client id and secret are each form-urlencoded, then joined by `:` and
 * base64-encoded. Returns null when the header is not a well-formed Basic credential.
 */
export function parseBasicCredentials(header: string): { clientId: string; secret: string } | null {
  const m = BASIC_RE.exec(header);
  if (!m || m[1]!.length % 4 !== 0) return null;
  let decoded: string;
  try {
    decoded = UTF8.decode(Buffer.from(m[1]!, 'base64'));
  } catch {
    return null;
  }
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  const clientId = formDecode(decoded.slice(0, colon));
  const secret = formDecode(decoded.slice(colon + 1));
  if (!clientId || secret === null) return null;
  return { clientId, secret };
}

/** How long and how many client authentications are remembered; `ttlMs` or `maxEntries` 0 turns it off. */
export interface ClientCacheSettings {
  maxEntries: number;
  ttlMs: number;
}

/** Authenticates the clients of back-channel requests, remembering recent successes. */
export interface ClientAuthenticator {
  /**
   * Authenticate the client of a back-channel request from its `Authorization` header and form.
   * `allowPublic` lets a public client identify itself with `client_id` alone (the token endpoint; PKCE
   * then binds the code to it). Throws `invalid_client` (401) or `invalid_request` (400).
   */
  authenticate(authorization: string | null, params: Params, allowPublic: boolean): Promise<AuthenticatedClient>;
  /** Leave the invalidation bus. */
  close(): void;
}

/** What a successful authentication leaves in the cache. */
interface Remembered {
  client: ClientRecord;
  /** Expiry of the client secret that matched (a rotated secret works until its overlap ends). */
  secretExpiresAt: number | null;
}

/**
 * Create the authenticator. A success is cached (bounded LRU, TTL) under the client id and the exact
 * secret presented, so a warm token request costs no store read and no hash; failures are never cached.
 * Any `credential` or `client` event on the invalidation bus (secret rotated or revoked, client updated or
 * revoked, here or, with a shared bus, in another process) empties the cache at once: those changes are
 * rare next to token requests. Without a shared bus, another process's change is seen within the TTL.
 */
export function createClientAuthenticator(ctx: ServerContext, settings: ClientCacheSettings): ClientAuthenticator {
  const cache = createCredentialCache<Remembered>(settings.maxEntries, settings.ttlMs);
  // Bumped by every invalidation: a lookup that started before it must not refill the cache.
  let epoch = 0;
  const unsubscribe = ctx.invalidation.subscribe((event) => {
    if (event.type === 'credential' || event.type === 'client') {
      epoch++;
      cache.clear();
    }
  });

  /** The live client behind `clientId` and, for confidential clients, `secret`; null when either fails. */
  async function lookup(clientId: string, secret: string | undefined): Promise<Remembered | null> {
    const client = await ctx.store.getClient(clientId);
    if (!client || client.revokedAt !== null) return null;
    if (secret === undefined) return { client, secretExpiresAt: null };
    if (client.type !== 'confidential') return null;
    const record = await liveClientSecret(ctx, client.clientId, secret);
    if (!record) return null;
    return { client, secretExpiresAt: record.expiresAt };
  }

  async function remembered(clientId: string, secret: string | undefined): Promise<ClientRecord | null> {
    // The separator cannot occur in an issued secret; the id is compared on a hit all the same.
    const key = secret === undefined ? `p\n${clientId}` : `s\n${clientId}\n${secret}`;
    const now = ctx.now();
    const hit = cache.get(key, now);
    if (hit && hit.client.clientId === clientId && (hit.secretExpiresAt === null || hit.secretExpiresAt > now)) {
      return hit.client;
    }
    const started = epoch;
    const found = await lookup(clientId, secret);
    if (found && epoch === started) cache.set(key, found, ctx.now());
    return found?.client ?? null;
  }

  return {
    async authenticate(header, params, allowPublic) {
      const bodyId = params.get('client_id');
      const bodySecret = params.get('client_secret');
      let clientId: string;
      let secret: string | undefined;
      let method: ClientAuthMethod;

      if (header !== null) {
        const basic = parseBasicCredentials(header);
        if (!basic) throw invalidClient('The Authorization header is not valid Basic client authentication');
        if (bodySecret !== undefined) {
          throw new OAuthError('invalid_request', 'Use one client authentication method, not Basic and client_secret');
        }
        if (bodyId !== undefined && bodyId !== basic.clientId) {
          throw new OAuthError('invalid_request', 'client_id does not match the Basic credentials');
        }
        ({ clientId, secret } = basic);
        method = 'client_secret_basic';
      } else if (bodyId !== undefined) {
        clientId = bodyId;
        secret = bodySecret;
        method = secret === undefined ? 'none' : 'client_secret_post';
      } else {
        throw invalidClient('Client authentication is required');
      }

      if (clientId.length > MAX_ID) throw invalidClient('Client authentication failed');
      const client = await remembered(clientId, secret);
      if (!client) throw invalidClient('Client authentication failed');
      if (method === 'none') {
        if (client.type !== 'public' || !allowPublic) throw invalidClient('Client authentication failed');
      } else if (client.type === 'public') {
        throw invalidClient('Client authentication failed');
      }
      return { client, method };
    },
    close() {
      unsubscribe();
    },
  };
}
