/**
 * Test fixture: a real loopback HTTP server (node:http -> Web Request -> oauth.handle -> Response) over a
 * memory store, with a controllable clock, a user directory, client registration written straight into
 * the store, and a cookie-jar browser that walks the built-in login and consent pages.
 */
import { createServer, type Server, } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateCodeVerifier, s256CodeChallenge } from '../../../src/crypto/pkce.js';
import { randomId } from '../../../src/crypto/random.js';
import { secretHint } from '../../../src/crypto/token-format.js';
import { createSessionCookies, type SessionCookies } from '../../../src/server/cookies/session-cookies.js';
import { createServerContext, type InvalidationEvent, type Lifetimes, type ServerContext } from '../../../src/server/context.js';
import { createOAuthServer, type OAuthServer, type OAuthServerOptions } from '../../../src/server/oauth/oauth-server.js';
import type { ClientRecord, AuthStore } from '../../../src/server/store.js';
import { memoryAuthStore } from '../../../src/store/memory-auth-store.js';
import { nodeToWebRequest, writeWebResponse } from '../../../../testkit/src/node-web.js';

export const USERS: Record<string, { password: string; userId: string; businessId: string }> = {
  alice: { password: 'correct horse battery staple', userId: 'u-alice', businessId: 'b-1' },
  bob: { password: 'hunter2 hunter2', userId: 'u-bob', businessId: 'b-2' },
};

export interface FixtureOptions {
  oauth?: OAuthServerOptions;
  lifetimes?: Lifetimes;
  /** Called with the issuer once the port is known, to build options that need it. */
  oauthFor?: (issuer: string) => OAuthServerOptions;
  /** Wrap the memory store, e.g. to widen a race window deterministically. */
  wrapStore?: (store: AuthStore) => AuthStore;
}

export interface Fixture {
  issuer: string;
  origin: string;
  ctx: ServerContext;
  store: AuthStore;
  oauth: OAuthServer;
  sessions: SessionCookies;
  events: InvalidationEvent[];
  /** Move the clock forward. */
  advance(ms: number): void;
  registerClient(partial?: Partial<ClientRecord>): Promise<{ client: ClientRecord; secret: string | null }>;
  close(): Promise<void>;
}

/** Start a server. Close it in `afterEach`/`afterAll`. */
export async function startFixture(options: FixtureOptions = {}): Promise<Fixture> {
  let handler: ((req: Request) => Promise<Response>) | null = null;
  const server: Server = createServer((req, res) => {
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    Promise.resolve()
      .then(() => nodeToWebRequest(req, origin))
      .then((r) => handler!(r))
      .then((r) => writeWebResponse(res, r))
      .catch(() => {
        res.writeHead(599).end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = origin;
  let now = Date.now();
  const store = options.wrapStore ? options.wrapStore(memoryAuthStore()) : memoryAuthStore();
  const ctx = createServerContext({
    issuer,
    store,
    secrets: ['test-secret-0123456789-abcdefghijklmnop'],
    now: () => now,
    lifetimes: options.lifetimes,
    accounts: {
      async authenticate(username, password) {
        const u = USERS[username];
        return u && u.password === password ? { userId: u.userId, businessId: u.businessId } : null;
      },
    },
  });
  const events: InvalidationEvent[] = [];
  ctx.invalidation.subscribe((e) => events.push(e));
  const sessions = createSessionCookies(ctx, { secure: false });
  const oauth = createOAuthServer(ctx, options.oauthFor ? options.oauthFor(issuer) : options.oauth, { sessions });
  handler = (r) => oauth.handle(r);

  return {
    issuer,
    origin,
    ctx,
    store,
    oauth,
    sessions,
    events,
    advance(ms) {
      now += ms;
    },
    async registerClient(partial = {}) {
      const type = partial.type ?? 'confidential';
      const client: ClientRecord = {
        clientId: `client-${randomId(8)}`,
        name: 'Test App',
        type,
        redirectUris: ['https://app.example.com/callback'],
        grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
        scopes: ['read', 'write'],
        tokenEndpointAuthMethod: type === 'public' ? 'none' : 'client_secret_basic',
        environment: null,
        ownerUserId: null,
        businessId: 'b-1',
        createdAt: now,
        revokedAt: null,
        ...partial,
      };
      await store.createClient(client);
      if (type === 'public') return { client, secret: null };
      const secret = ctx.newSecret('clientSecret');
      await store.createCredential({
        id: randomId(),
        kind: 'client_secret',
        hash: ctx.hash(secret),
        hint: secretHint(secret),
        userId: null,
        businessId: client.businessId,
        clientId: client.clientId,
        name: 'secret',
        scopes: [],
        createdAt: now,
        expiresAt: null,
        revokedAt: null,
        lastUsedAt: null,
      });
      return { client, secret };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A minimal browser: a cookie jar and manual redirects, so every hop can be inspected. */
export class Browser {
  private readonly jar = new Map<string, string>();

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.jar.size) headers.set('cookie', [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }

  postForm(url: string, fields: Record<string, string>): Promise<Response> {
    return this.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields),
    });
  }

  cookie(name: string): string | undefined {
    return this.jar.get(name);
  }
}

/** The value of a hidden input in a built-in page. */
export function hiddenField(html: string, name: string): string {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!m) throw new Error(`No field ${name}`);
  return m[1]!.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#96;/g, '`').replace(/&amp;/g, '&');
}

/**
 * Walk an authorization request through the built-in login and consent pages as `username`, approving.
 * Returns the final response (a 303 to the client, or a form_post page).
 */
export async function authorizeInBrowser(
  browser: Browser,
  authorizeUrl: string,
  username = 'alice',
  decision: 'approve' | 'deny' = 'approve',
): Promise<Response> {
  let res = await browser.fetch(authorizeUrl);
  // Bounded: login then consent, at most a few hops.
  for (let hop = 0; hop < 6; hop++) {
    if (res.status !== 303) return res;
    const location = res.headers.get('location')!;
    const url = new URL(location);
    if (url.pathname === '/oauth/login') {
      const page = await browser.fetch(location);
      const html = await page.text();
      res = await browser.postForm(url.origin + url.pathname, {
        tx: hiddenField(html, 'tx'),
        csrf: hiddenField(html, 'csrf'),
        username,
        password: USERS[username]!.password,
      });
    } else if (url.pathname === '/oauth/consent') {
      const page = await browser.fetch(location);
      const html = await page.text();
      res = await browser.postForm(url.origin + url.pathname, {
        tx: hiddenField(html, 'tx'),
        csrf: hiddenField(html, 'csrf'),
        decision,
      });
    } else if (url.pathname === '/oauth/authorize') {
      res = await browser.fetch(location);
    } else {
      return res;
    }
  }
  return res;
}

/** POST a form to the token endpoint (or another back-channel endpoint) with optional Basic auth. */
export function postForm(
  url: string,
  fields: Record<string, string>,
  basic?: { id: string; secret: string },
  extraHeaders: Record<string, string> = {},
): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', ...extraHeaders };
  if (basic) {
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(basic.id)}:${encodeURIComponent(basic.secret)}`).toString('base64')}`;
  }
  return fetch(url, { method: 'POST', headers, body: new URLSearchParams(fields) });
}

/** Run the code flow (built-in pages, S256 PKCE) and return the code, its verifier and the authorize URL. */
export async function obtainCode(
  fx: Fixture,
  client: ClientRecord,
  extra: Record<string, string> = {},
): Promise<{ code: string; verifier: string; callback: URL }> {
  const verifier = generateCodeVerifier();
  const url = new URL(`${fx.issuer}/oauth/authorize`);
  url.search = new URLSearchParams({
    client_id: client.clientId,
    redirect_uri: client.redirectUris[0]!,
    response_type: 'code',
    code_challenge: s256CodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: 'st',
    ...extra,
  }).toString();
  const res = await authorizeInBrowser(new Browser(), url.href);
  if (res.status !== 303) throw new Error(`authorize answered ${res.status}`);
  const callback = new URL(res.headers.get('location')!);
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`no code: ${callback.search}`);
  return { code, verifier, callback };
}

/** Code flow plus the token request: a fresh token pair for `client`. */
export async function obtainTokens(
  fx: Fixture,
  client: ClientRecord,
  secret: string,
): Promise<{ access_token: string; refresh_token: string; expires_in: number; scope: string }> {
  const { code, verifier } = await obtainCode(fx, client);
  const res = await postForm(
    `${fx.issuer}/oauth/token`,
    { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: client.redirectUris[0]! },
    { id: client.clientId, secret },
  );
  if (res.status !== 200) throw new Error(`token endpoint answered ${res.status}: ${await res.text()}`);
  return res.json();
}
