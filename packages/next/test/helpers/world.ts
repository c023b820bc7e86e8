/**
 * A provider (the core's authorization server served by `createProviderRoutes`, plus an API route
 * protected by `withAuth`) and a Next.js app (the sign-in catch-all of `createNextAuth`), wired in
 * process: every request is a real `Request` handed to the exported Route Handlers.
 */
import { authorizationCode, createAuthServer, memoryAuthStore, type AuthServer } from '@auth/core';
import { createNextAuth, createProviderRoutes, createWithAuth, type NextAuth } from '../../src/index.js';
import { Browser, hiddenField, type Dispatch } from './browser.js';

export const PROVIDER = 'http://127.0.0.1:4100';
export const APP = 'http://localhost:3000';
export const USER = { username: 'alice', password: 'correct horse battery staple', userId: 'u_alice', businessId: 'b_1' };

export interface World {
  auth: AuthServer;
  nextAuth: NextAuth;
  browser: Browser;
  /** `Authorization: Basic` of the app's OAuth client at the provider. */
  clientBasic: string;
  /** Server-to-server fetch into the provider (what the grant and `nextAuth.fetch` use). */
  providerFetch: typeof fetch;
  /** Refresh-token grants the token endpoint received. */
  refreshCount(): number;
  /** Token endpoint requests of any grant. */
  tokenRequests(): string[];
  /** Move the clock of the provider and the app (token expiry, refresh grace, sessions, seals). */
  advance(ms: number): void;
  /** Start login at the app and sign in on the provider's login page; returns the provider's form_post page. */
  signInWithBrowser(returnTo?: string): Promise<Response>;
  close(): Promise<void>;
}

export async function createWorld(): Promise<World> {
  // One clock for both sides: advancing it expires access tokens and closes the refresh grace window.
  let offset = 0;
  const now = () => Date.now() + offset;
  const auth = createAuthServer({
    issuer: PROVIDER,
    now,
    store: memoryAuthStore(),
    secrets: ['provider-secret-0123456789-abcdefghijklmnop'],
    methods: { bearer: true },
    cookies: { secure: false },
    accounts: {
      async authenticate(username, password) {
        return username === USER.username && password === USER.password ? { userId: USER.userId, businessId: USER.businessId } : null;
      },
      async permissions(userId) {
        return userId === USER.userId ? ['read', 'write'] : null;
      },
    },
    oauth: { interaction: { hasConsent: () => true } },
  });
  const { client, clientSecret } = await auth.clients.register({
    name: 'next app',
    type: 'confidential',
    redirectUris: [`${APP}/auth/callback`],
    grantTypes: ['authorization_code', 'refresh_token'],
    scopes: ['read', 'write'],
  });
  if (!clientSecret) throw new Error('confidential client without a secret');

  const provider = createProviderRoutes(auth);
  const withAuth = createWithAuth(auth);
  const me = withAuth(async (_request, { principal }) => Response.json({ userId: principal.userId, method: principal.method }));
  let refreshes = 0;
  const grants: string[] = [];
  const providerDispatch: Dispatch = async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname === '/oauth/token') {
      const grant = new URLSearchParams(await request.clone().text()).get('grant_type') ?? '';
      grants.push(grant);
      if (grant === 'refresh_token') refreshes++;
    }
    if (pathname === '/api/me') return me(request);
    return request.method === 'POST' ? provider.POST(request) : provider.GET(request);
  };
  const providerFetch = (async (input: string | URL | Request, init?: RequestInit) =>
    providerDispatch(new Request(input, init))) as typeof fetch;

  const nextAuth = createNextAuth({
    grant: authorizationCode({
      issuer: PROVIDER,
      clientId: client.clientId,
      clientSecret,
      redirectUri: `${APP}/auth/callback`,
      scope: 'read write',
      responseMode: 'form_post',
      fetch: providerFetch,
      now,
    }),
    secrets: ['next-app-sign-in-secret-0123456789-abcdef'],
    fetch: providerFetch,
    now,
  });
  const appDispatch: Dispatch = async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname.startsWith('/auth/')) {
      return request.method === 'POST' ? nextAuth.handlers.POST(request) : nextAuth.handlers.GET(request);
    }
    return new Response('not found', { status: 404 });
  };
  const browser = new Browser((request) => (new URL(request.url).origin === APP ? appDispatch(request) : providerDispatch(request)));

  async function signInWithBrowser(returnTo?: string): Promise<Response> {
    const login = await browser.fetch(`${APP}/auth/login${returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ''}`);
    if (login.status !== 303) throw new Error(`login answered ${login.status}`);
    let res = await browser.fetch(login.headers.get('location')!, {}, true);
    for (let hop = 0; hop < 6 && res.status === 303; hop++) {
      const location = new URL(res.headers.get('location')!);
      if (location.pathname === '/oauth/login') {
        const html = await (await browser.fetch(location.href)).text();
        res = await browser.postForm(`${PROVIDER}/oauth/login`, {
          tx: hiddenField(html, 'tx'),
          csrf: hiddenField(html, 'csrf'),
          username: USER.username,
          password: USER.password,
        });
      } else {
        res = await browser.fetch(location.href);
      }
    }
    return res;
  }

  return {
    auth,
    nextAuth,
    browser,
    providerFetch,
    clientBasic: `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
    refreshCount: () => refreshes,
    tokenRequests: () => [...grants],
    advance(ms) {
      offset += ms;
    },
    signInWithBrowser,
    close: () => auth.close(),
  };
}
