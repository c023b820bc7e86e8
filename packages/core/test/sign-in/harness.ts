/**
 * Test harness for the sign-in routes: real loopback HTTP servers (the repo's authorization server via
 * createAuthServer + memoryAuthStore, and a client app mounting createSignIn), and a browser with a
 * per-origin cookie jar that applies SameSite the way browsers do to cross-site requests.
 */
import { createServer, } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authorizationCode } from '../../src/client/authorization-code-grant.js';
import { createSignIn, type SignIn } from '../../src/client/sign-in/index.js';
import type { SignInOptions } from '../../src/client/sign-in/sign-in-options.js';
import { createAuthServer, type AuthServer } from '../../src/server/auth-server.js';
import { memoryAuthStore } from '../../src/store/memory-auth-store.js';
import { errorToResponse } from '../../src/errors.js';
import { nodeToWebRequest, writeWebResponse } from '../../../testkit/src/node-web.js';

export const SECRET = 'sign-in-test-secret-0123456789-abcdefghij';
export const USERS: Record<string, { password: string; userId: string; businessId: string }> = {
  alice: { password: 'correct horse battery staple', userId: 'u-alice', businessId: 'b-1' },
};

export interface HttpServer {
  origin: string;
  /** Every Web request the server received, in order. */
  requests: { method: string; pathname: string; form: URLSearchParams | null }[];
  close(): Promise<void>;
}

/** A loopback server; `handler` is set after listening so it can know its origin. */
export async function startServer(): Promise<HttpServer & { setHandler(h: (r: Request) => Promise<Response>): void }> {
  let handler: (r: Request) => Promise<Response> = async () => new Response('not ready', { status: 503 });
  const requests: HttpServer['requests'] = [];
  const server = createServer((req, res) => {
    Promise.resolve()
      .then(() => nodeToWebRequest(req, origin))
      .then(async (r) => {
        const isForm = r.headers.get('content-type')?.startsWith('application/x-www-form-urlencoded') ?? false;
        const form = isForm ? new URLSearchParams(await r.clone().text()) : null;
        requests.push({ method: r.method, pathname: new URL(r.url).pathname, form });
        return handler(r);
      })
      .then((r) => writeWebResponse(res, r))
      .catch(() => res.writeHead(599).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    setHandler(h) {
      handler = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface StoredCookie {
  value: string;
  sameSite: 'lax' | 'strict' | 'none';
}

/**
 * A browser: one cookie jar per origin, manual redirects. `crossSite` marks a request initiated by
 * another site (the authorization server's redirect or auto-submitted form): like real browsers it then
 * sends only `SameSite=None` cookies on a POST, and Lax + None on a top-level GET.
 */
export class Browser {
  readonly jars = new Map<string, Map<string, StoredCookie>>();
  /** Simulates browsers that refuse `SameSite=None` cookies. */
  constructor(private readonly acceptsSameSiteNone = true) {}

  jar(origin: string): Map<string, StoredCookie> {
    let jar = this.jars.get(origin);
    if (!jar) this.jars.set(origin, (jar = new Map()));
    return jar;
  }

  cookieHeader(origin: string, kind: 'same-site' | 'cross-site-get' | 'cross-site-post' = 'same-site'): string {
    return [...this.jar(origin)]
      .filter(([, c]) => kind === 'same-site' || c.sameSite === 'none' || (kind === 'cross-site-get' && c.sameSite === 'lax'))
      .map(([k, c]) => `${k}=${c.value}`)
      .join('; ');
  }

  async fetch(url: string, init: RequestInit = {}, crossSite = false): Promise<Response> {
    const origin = new URL(url).origin;
    const headers = new Headers(init.headers);
    const method = (init.method ?? 'GET').toUpperCase();
    const kind = !crossSite ? 'same-site' : method === 'GET' ? 'cross-site-get' : 'cross-site-post';
    const cookie = this.cookieHeader(origin, kind);
    if (cookie) headers.set('cookie', cookie);
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';').map((s) => s.trim());
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      const sameSite = (attrs.find((a) => /^samesite=/i.test(a))?.split('=')[1]?.toLowerCase() ?? 'lax') as StoredCookie['sameSite'];
      if (sameSite === 'none' && (!this.acceptsSameSiteNone || !attrs.some((a) => /^secure$/i.test(a)))) continue;
      if (attrs.some((a) => /^max-age=0$/i.test(a)) || value === '') this.jar(origin).delete(name);
      else this.jar(origin).set(name, { value, sameSite });
    }
    return res;
  }

  postForm(url: string, fields: Record<string, string> | URLSearchParams, crossSite = false, headers: Record<string, string> = {}): Promise<Response> {
    return this.fetch(
      url,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields) },
      crossSite,
    );
  }
}

function unescapeHtml(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#96;/g, '`').replace(/&amp;/g, '&');
}

export function hiddenField(html: string, name: string): string {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!m) throw new Error(`No field ${name}`);
  return unescapeHtml(m[1]!);
}

/** The action and fields of the authorization server's auto-submitting form_post page. */
export function parseFormPost(html: string): { action: string; fields: URLSearchParams } {
  const action = /<form method="post" action="([^"]*)"/.exec(html)?.[1];
  if (!action) throw new Error('No form_post form');
  const fields = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) fields.append(unescapeHtml(m[1]!), unescapeHtml(m[2]!));
  return { action: unescapeHtml(action), fields };
}

/** Walk the provider's built-in login and consent pages; returns the response that goes back to the app. */
export async function authorizeAtProvider(browser: Browser, authorizeUrl: string, decision: 'approve' | 'deny' = 'approve'): Promise<Response> {
  let res = await browser.fetch(authorizeUrl, {}, true);
  for (let hop = 0; hop < 6; hop++) {
    if (res.status !== 303) return res;
    const location = res.headers.get('location')!;
    const url = new URL(location);
    if (url.pathname === '/oauth/login' || url.pathname === '/oauth/consent') {
      const html = await (await browser.fetch(location)).text();
      const fields: Record<string, string> = { tx: hiddenField(html, 'tx'), csrf: hiddenField(html, 'csrf') };
      if (url.pathname === '/oauth/login') Object.assign(fields, { username: 'alice', password: USERS.alice!.password });
      else fields.decision = decision;
      res = await browser.postForm(url.origin + url.pathname, fields);
    } else if (url.pathname === '/oauth/authorize') {
      res = await browser.fetch(location);
    } else {
      return res;
    }
  }
  return res;
}

export interface World {
  provider: HttpServer;
  app: HttpServer;
  auth: AuthServer;
  signIn: SignIn;
  clientId: string;
  clientSecret: string;
  /** Move the client app's clock (sessions, seals, token expiry). */
  advance(ms: number): void;
  /** How many refresh_token grants the provider's token endpoint received. */
  refreshCount(): number;
  close(): Promise<void>;
}

/**
 * The provider (createAuthServer over memoryAuthStore, with a `/api/me` resource that verifies bearer
 * tokens) and a client app serving `signIn.handle` at `/auth/*` and, at `/whoami`, a route that calls
 * the provider API through `signIn.fetch(cookie)`.
 */
export async function startWorld(
  responseMode: 'query' | 'form_post',
  extra: Partial<Omit<SignInOptions, 'grant' | 'secrets'>> = {},
): Promise<World> {
  const provider = await startServer();
  const app = await startServer();
  const auth = createAuthServer({
    issuer: provider.origin,
    store: memoryAuthStore(),
    secrets: ['provider-secret-0123456789-abcdefghijklmn'],
    accounts: {
      async authenticate(username, password) {
        const u = USERS[username];
        return u && u.password === password ? { userId: u.userId, businessId: u.businessId } : null;
      },
    },
    cookies: { secure: false },
    methods: { bearer: true },
  });
  provider.setHandler(async (r) => {
    if (new URL(r.url).pathname === '/api/me') {
      try {
        const p = await auth.verify((name) => r.headers.get(name) ?? undefined, { httpMethod: r.method });
        return Response.json({ userId: p.userId, method: p.method });
      } catch (err) {
        return errorToResponse(err);
      }
    }
    return auth.handle(r);
  });
  let now = Date.now();
  const registration = await auth.clients.register({
    name: 'Client app',
    type: 'confidential',
    redirectUris: [`${app.origin}/auth/callback`],
    scopes: ['read'],
  });
  const signIn = createSignIn({
    grant: authorizationCode({
      issuer: provider.origin,
      clientId: registration.client.clientId,
      clientSecret: registration.clientSecret,
      redirectUri: `${app.origin}/auth/callback`,
      scope: 'read',
      responseMode,
      retry: false,
      // One clock for the app: token expiry is computed from it, as is the manager's freshness.
      now: () => now,
    }),
    secrets: [SECRET],
    now: () => now,
    ...extra,
  });
  app.setHandler(async (r) => {
    const url = new URL(r.url);
    if (signIn.matches(url.pathname)) return signIn.handle(r);
    if (url.pathname === '/whoami') {
      try {
        const res = await signIn.fetch(r.headers.get('cookie'))(`${provider.origin}/api/me`);
        return new Response(res.body, { status: res.status, headers: { 'content-type': 'application/json' } });
      } catch (err) {
        return errorToResponse(err);
      }
    }
    return new Response('app page', { status: 200 });
  });
  return {
    provider,
    app,
    auth,
    signIn,
    clientId: registration.client.clientId,
    clientSecret: registration.clientSecret,
    advance(ms) {
      now += ms;
    },
    refreshCount: () =>
      provider.requests.filter((r) => r.pathname === '/oauth/token' && r.form?.get('grant_type') === 'refresh_token').length,
    async close() {
      await auth.close();
      await Promise.all([provider.close(), app.close()]);
    },
  };
}

/**
 * Deliver the provider's answer to the app the way a browser would: a cross-site top-level GET for
 * query mode, the auto-submitted cross-site POST for form_post.
 */
export async function deliverCallback(browser: Browser, providerAnswer: Response): Promise<Response> {
  if (providerAnswer.status === 303) return browser.fetch(providerAnswer.headers.get('location')!, {}, true);
  if (providerAnswer.status !== 200) throw new Error(`provider answered ${providerAnswer.status}`);
  const { action, fields } = parseFormPost(await providerAnswer.text());
  return browser.postForm(action, fields, true);
}

/** Start a login at the app and walk the provider's pages; returns the provider's answer, not yet delivered. */
export async function startLogin(world: World, browser: Browser, returnTo?: string, decision: 'approve' | 'deny' = 'approve'): Promise<Response> {
  const qs = returnTo === undefined ? '' : `?returnTo=${encodeURIComponent(returnTo)}`;
  const start = await browser.fetch(`${world.app.origin}/auth/login${qs}`);
  if (start.status !== 303) throw new Error(`login answered ${start.status}: ${await start.text()}`);
  return authorizeAtProvider(browser, start.headers.get('location')!, decision);
}

/** A complete sign-in; returns the callback's response. */
export async function signInAs(world: World, browser: Browser, returnTo?: string): Promise<Response> {
  return deliverCallback(browser, await startLogin(world, browser, returnTo));
}
