/**
 * Client authentication at the token, revocation and introspection endpoints (RFC 6749 section 2.3):
 * `client_secret_basic`, `client_secret_post` and `none` for public clients.
 *
 * @module
 */
import { OAuthError } from '../../errors.js';
import type { ServerContext } from '../context.js';
import { authenticateClientSecret } from '../credentials/client-secret.js';
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

function formDecode(value: string): string | null {
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
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(m[1]!, 'base64'));
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

/**
 * Authenticate the client of a back-channel request. `allowPublic` lets a public client identify itself
 * with `client_id` alone (the token endpoint; PKCE then binds the code to it).
 */
export async function authenticateClient(
  ctx: ServerContext,
  request: Request,
  params: Params,
  allowPublic: boolean,
): Promise<AuthenticatedClient> {
  const header = request.headers.get('authorization');
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
  const client = await ctx.store.getClient(clientId);
  if (!client || client.revokedAt !== null) throw invalidClient('Client authentication failed');

  if (method === 'none') {
    if (client.type !== 'public' || !allowPublic) throw invalidClient('Client authentication failed');
    return { client, method };
  }
  if (client.type === 'public') throw invalidClient('Client authentication failed');
  if (!(await authenticateClientSecret(ctx, client.clientId, secret!))) throw invalidClient('Client authentication failed');
  return { client, method };
}
