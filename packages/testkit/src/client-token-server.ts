import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small OAuth token server and protected resource on 127.0.0.1 for client tests: what
 * node-oidc-provider does not do (the seed 001 password grant, scripted failures, the API-key,
 * `Secret` and bearer header schemes) plus request counters.
 *
 * Not a reference implementation: it is deliberately small and scriptable.
 */

/** A registered client. */
export interface TokenServerClient {
  clientId: string;
  clientSecret: string;
}

/** A scripted answer for the next token request, consumed in order before normal processing. */
export interface ScriptedResponse {
  status?: number;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Never answer (until the server closes). */
  hang?: boolean;
  /** After the delay, answer normally instead of with `status`/`body`. */
  passThrough?: boolean;
}

/** Options for {@link startTokenServer}. */
export interface TokenServerOptions {
  clients?: TokenServerClient[];
  users?: { username: string; password: string }[];
  /** Access token lifetime in seconds. Default 1799 (seed 001). */
  accessTokenLifetime?: number;
  /** How `expires_in` is sent. Default `string` (seed 001 sends `"1799"`). */
  expiresIn?: 'string' | 'number' | 'omit';
  /** Refresh tokens for the password grant: none (seed 001), rotated on use, or reusable. Default none. */
  refreshTokens?: 'none' | 'rotate' | 'reuse';
  /** API keys for the three-header scheme (seed 000). */
  apiKeys?: { key: string; businessId: string; userId: string }[];
  /** Legacy single keys, accepted in `X-API-Key` or `?api_key=` (seed 002). */
  legacyApiKeys?: string[];
  /** Personal / direct access tokens (seeds 003, 004). */
  personalTokens?: string[];
  /** Secrets for `Authorization: Secret` (seed 003). */
  secrets?: string[];
  /** Discovery: RFC 8414 and OpenID documents (default), only the OpenID one, or none. */
  discovery?: 'both' | 'openid-only' | 'none';
  /** Issuer put in the discovery documents (default: the server's own URL). */
  metadataIssuer?: string;
}

/** A token request as the server received it. */
export interface RecordedTokenRequest {
  grantType: string | null;
  authorization: string | null;
  params: Record<string, string>;
  clientId: string | null;
}

/** A running token server. */
export interface TokenServer {
  /** Origin, e.g. `http://127.0.0.1:41234`. Also the issuer. */
  url: string;
  tokenEndpoint: string;
  revocationEndpoint: string;
  /** Protected resource base: `GET /resource` authenticates with any scheme. */
  resourceUrl: string;
  counts: { token: number; revocation: number; resource: number; discovery: number; echo: number };
  /** Every token request, in order. */
  tokenRequests: RecordedTokenRequest[];
  /** Headers of every request to `/echo`, in order (lower-case names), plus `:path` (path and query). */
  echoed: Record<string, string | string[] | undefined>[];
  /** Queue scripted answers for the next token requests. */
  script(...responses: ScriptedResponse[]): void;
  /** Drop scripted answers not consumed yet (a test that failed early must not poison the next). */
  clearScript(): void;
  /** Make an access token invalid at the resource (as if revoked or expired server-side). */
  killAccessToken(token: string): void;
  /** Whether a refresh token is currently redeemable. */
  isRefreshTokenActive(token: string): boolean;
  /** Whether an access token is accepted by the resource. */
  isAccessTokenActive(token: string): boolean;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

function token(prefix: string): string {
  return `${prefix}_${randomBytes(24).toString('base64url')}`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/html; charset=utf-8' : 'application/json',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

function formDecode(value: string): string {
  return new URLSearchParams(`a=${value}`).get('a') ?? '';
}

/** RFC 6749 2.3.1: Basic credentials are form-encoded id and secret. */
function parseBasic(header: string | undefined): { id: string; secret: string } | null {
  if (!header?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}

/**
 * Start a token server on 127.0.0.1 with an ephemeral port.
 *
 * @example
 * ```ts
 * const server = await startTokenServer({ clients: [{ clientId: 'k', clientSecret: 's' }],
 *   users: [{ username: 'u@example.com', password: 'pw' }] });
 * server.script({ status: 503 }); // the next token request fails once
 * ```
 */
export async function startTokenServer(options: TokenServerOptions = {}): Promise<TokenServer> {
  const clients = options.clients ?? [{ clientId: 'client', clientSecret: 'client-secret' }];
  const users = options.users ?? [];
  const lifetime = options.accessTokenLifetime ?? 1799;
  const expiresIn = options.expiresIn ?? 'string';
  const refreshMode = options.refreshTokens ?? 'none';
  const accessTokens = new Map<string, { expiresAt: number; clientId: string; username: string | null }>();
  const refreshTokens = new Map<string, { clientId: string; username: string; active: boolean }>();
  const queue: ScriptedResponse[] = [];
  const pendingHangs = new Set<ServerResponse>();
  let origin = '';

  const counts = { token: 0, revocation: 0, resource: 0, discovery: 0, echo: 0 };
  const tokenRequests: RecordedTokenRequest[] = [];
  const echoed: Record<string, string | string[] | undefined>[] = [];

  function issue(clientId: string, username: string | null, withRefresh: boolean): Record<string, unknown> {
    const accessToken = token('at');
    accessTokens.set(accessToken, { expiresAt: Date.now() + lifetime * 1000, clientId, username });
    const body: Record<string, unknown> = { access_token: accessToken };
    if (expiresIn === 'string') body.expires_in = String(lifetime);
    else if (expiresIn === 'number') body.expires_in = lifetime;
    body.scope = '';
    if (withRefresh && username !== null) {
      const refreshToken = token('rt');
      refreshTokens.set(refreshToken, { clientId, username, active: true });
      body.refresh_token = refreshToken;
    }
    return body;
  }

  function authenticateClient(req: IncomingMessage, params: URLSearchParams): TokenServerClient | 'missing' | null {
    const basic = parseBasic(req.headers.authorization);
    const bodyId = params.get('client_id');
    const bodySecret = params.get('client_secret');
    if (basic && bodySecret !== null) return null;
    const id = basic?.id ?? bodyId;
    const secret = basic?.secret ?? bodySecret;
    if (id === null || secret === null) return 'missing';
    return clients.find((c) => c.clientId === id && c.clientSecret === secret) ?? null;
  }

  async function handleToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    counts.token++;
    const params = new URLSearchParams(await readBody(req));
    const grantType = params.get('grant_type');
    const basic = parseBasic(req.headers.authorization);
    tokenRequests.push({
      grantType,
      authorization: req.headers.authorization ?? null,
      params: Object.fromEntries(params),
      clientId: basic?.id ?? params.get('client_id'),
    });
    const scripted = queue.shift();
    if (scripted) {
      if (scripted.hang) {
        pendingHangs.add(res);
        res.on('close', () => pendingHangs.delete(res));
        return;
      }
      if (scripted.delayMs) await new Promise((resolve) => setTimeout(resolve, scripted.delayMs));
      if (!scripted.passThrough) {
        send(res, scripted.status ?? 200, scripted.body ?? '', scripted.headers);
        return;
      }
    }
    const client = authenticateClient(req, params);
    if (client === null || client === 'missing') {
      send(res, 401, { error: 'invalid_client', error_description: 'Invalid Access Token - Invalid API Key.' }, {
        'www-authenticate': 'Basic realm="token"',
      });
      return;
    }
    switch (grantType) {
      case 'password': {
        const user = users.find((u) => u.username === params.get('username') && u.password === params.get('password'));
        if (!user) {
          send(res, 400, { error: 'invalid_grant', error_description: 'Incorrect username/password - Invalid login credentials' });
          return;
        }
        send(res, 200, issue(client.clientId, user.username, refreshMode !== 'none'));
        return;
      }
      case 'client_credentials':
        send(res, 200, { ...issue(client.clientId, null, false), token_type: 'Bearer' });
        return;
      case 'refresh_token': {
        const presented = params.get('refresh_token') ?? '';
        const record = refreshTokens.get(presented);
        if (!record?.active || record.clientId !== client.clientId) {
          send(res, 400, { error: 'invalid_grant', error_description: 'The refresh token is invalid' });
          return;
        }
        if (refreshMode === 'rotate') {
          record.active = false;
          send(res, 200, issue(client.clientId, record.username, true));
        } else {
          send(res, 200, issue(client.clientId, record.username, false));
        }
        return;
      }
      default:
        send(res, 400, { error: 'unsupported_grant_type' });
    }
  }

  async function handleRevocation(req: IncomingMessage, res: ServerResponse): Promise<void> {
    counts.revocation++;
    const params = new URLSearchParams(await readBody(req));
    const client = authenticateClient(req, params);
    if (client === null || client === 'missing') {
      send(res, 401, { error: 'invalid_client' });
      return;
    }
    const presented = params.get('token') ?? '';
    accessTokens.delete(presented);
    const rt = refreshTokens.get(presented);
    if (rt) rt.active = false;
    res.writeHead(200).end();
  }

  /** Which scheme authenticates the request, or null. */
  function authenticateResource(req: IncomingMessage, url: URL): Record<string, unknown> | null {
    const h = req.headers;
    const authz = h.authorization ?? '';
    if (h['x-business-id'] !== undefined || h['x-user-id'] !== undefined) {
      const match = (options.apiKeys ?? []).find(
        (k) => k.key === h['x-api-key'] && k.businessId === h['x-business-id'] && k.userId === h['x-user-id'],
      );
      return match ? { scheme: 'api_key', businessId: match.businessId, userId: match.userId } : null;
    }
    const legacy = (h['x-api-key'] as string | undefined) ?? url.searchParams.get('api_key');
    if (legacy !== null && legacy !== undefined) {
      return (options.legacyApiKeys ?? []).includes(legacy) ? { scheme: 'legacy_api_key' } : null;
    }
    if (authz.startsWith('Bearer ')) {
      const value = authz.slice(7);
      if ((options.personalTokens ?? []).includes(value)) return { scheme: 'personal_token' };
      const record = accessTokens.get(value);
      if (record && record.expiresAt > Date.now()) return { scheme: 'access_token', username: record.username };
      return null;
    }
    if (authz.startsWith('Secret ')) {
      return (options.secrets ?? []).includes(authz.slice(7)) ? { scheme: 'secret' } : null;
    }
    return null;
  }

  function metadata(): Record<string, unknown> {
    return {
      issuer: options.metadataIssuer ?? origin,
      token_endpoint: `${origin}/token`,
      revocation_endpoint: `${origin}/revoke`,
      authorization_endpoint: `${origin}/authorize`,
      grant_types_supported: ['password', 'client_credentials', 'refresh_token'],
    };
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const route = `${req.method} ${url.pathname}`;
    const run = async () => {
      if (route === 'POST /token') return handleToken(req, res);
      if (route === 'POST /revoke') return handleRevocation(req, res);
      if (url.pathname.startsWith('/.well-known/')) {
        counts.discovery++;
        const mode = options.discovery ?? 'both';
        const rfc = url.pathname === '/.well-known/oauth-authorization-server' && mode === 'both';
        const oidc = url.pathname === '/.well-known/openid-configuration' && mode !== 'none';
        return rfc || oidc ? send(res, 200, metadata()) : send(res, 404, '<h1>Not found</h1>');
      }
      if (url.pathname === '/echo') {
        counts.echo++;
        echoed.push({ ...req.headers, ':path': req.url });
        return send(res, 200, { ok: true });
      }
      if (url.pathname.startsWith('/resource')) {
        counts.resource++;
        const who = authenticateResource(req, url);
        if (!who) return send(res, 401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer error="invalid_token"' });
        if (url.pathname === '/resource/forbidden') return send(res, 403, { error: 'insufficient_scope' });
        if (url.pathname === '/resource/redirect') {
          res.writeHead(Number(url.searchParams.get('status') ?? 302), { location: url.searchParams.get('to') ?? '/' });
          return res.end();
        }
        const body = req.method === 'POST' ? await readBody(req) : '';
        return send(res, 200, { ...who, method: req.method, bodyLength: body.length });
      }
      return send(res, 404, { error: 'not_found' });
    };
    run().catch(() => {
      if (!res.headersSent) send(res, 400, { error: 'invalid_request' });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: origin,
    tokenEndpoint: `${origin}/token`,
    revocationEndpoint: `${origin}/revoke`,
    resourceUrl: `${origin}/resource`,
    counts,
    tokenRequests,
    echoed,
    script: (...responses) => queue.push(...responses),
    clearScript: () => void queue.splice(0),
    killAccessToken: (value) => void accessTokens.delete(value),
    isRefreshTokenActive: (value) => refreshTokens.get(value)?.active === true,
    isAccessTokenActive: (value) => (accessTokens.get(value)?.expiresAt ?? 0) > Date.now(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of pendingHangs) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
