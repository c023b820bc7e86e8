/**
 * A client app that signs users in to the provider with `signInRoutes(createSignIn(...))`, on a real
 * loopback port, and calls the provider's API for them through `req.signIn`.
 */
import type express5 from 'express';
import { authErrorHandler, authorizationCode, createSignIn, type SignIn, signInRoutes } from '../src/index.js';
import { authorizeInBrowser, type Browser, formPost } from './browser.js';
import { type ExpressVariant, listen } from './express-variants.js';
import { type Provider, USERS } from './provider.js';

export interface ClientApp {
  origin: string;
  signIn: SignIn;
  client: { clientId: string; clientSecret: string };
  /** Token endpoint requests with `grant_type=refresh_token` so far. */
  refreshes(): number;
  /** Move the client's clock (token expiry, cookies) forward. */
  advance(ms: number): void;
  close(): Promise<void>;
}

export interface ClientAppOptions {
  responseMode: 'query' | 'form_post';
  /** Run `express.urlencoded()` before the sign-in routes. */
  parseBody?: boolean;
}

export async function startClientApp(variant: ExpressVariant, provider: Provider, options: ClientAppOptions): Promise<ClientApp> {
  const app = variant.express();
  const server = await listen(app);
  const redirectUri = `${server.origin}/auth/callback`;
  const client = await provider.registerClient(redirectUri, ['read', 'write']);
  let now = Date.now();
  let refreshes = 0;
  const countingFetch: typeof fetch = async (input, init) => {
    if (String(init?.body ?? '').includes('grant_type=refresh_token')) refreshes++;
    return fetch(input, init);
  };
  const signIn = createSignIn({
    grant: authorizationCode({
      issuer: provider.issuer,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      redirectUri,
      scope: 'read',
      responseMode: options.responseMode,
      fetch: countingFetch,
      now: () => now,
    }),
    secrets: ['client-app-secret-0123456789-abcdefghijkl'],
    fetch: countingFetch,
    now: () => now,
  });
  if (options.parseBody) app.use((variant.express as typeof express5).urlencoded({ extended: false }));
  app.use(signInRoutes(signIn));
  app.get('/profile', async (req, res, next) => {
    try {
      const api = await req.signIn!.fetch(`${provider.origin}/api/me`);
      res.status(api.status).json(await api.json());
    } catch (err) {
      next(err);
    }
  });
  app.get('/token', async (req, res, next) => {
    try {
      res.json({ accessToken: await req.signIn!.getAccessToken() });
    } catch (err) {
      next(err);
    }
  });
  app.use(authErrorHandler());
  return {
    origin: server.origin,
    signIn,
    client,
    refreshes: () => refreshes,
    advance(ms) {
      now += ms;
    },
    close: () => server.close(),
  };
}

/**
 * Sign `browser` in to `clientApp` as alice: login, the provider's pages, the callback (GET or
 * `form_post`). Returns the callback response.
 */
export async function signInAs(browser: Browser, clientApp: ClientApp, returnTo = '/profile'): Promise<{ login: Response; callback: Response }> {
  const login = await browser.fetch(`${clientApp.origin}/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  if (login.status !== 303) throw new Error(`login answered ${login.status}`);
  const back = await authorizeInBrowser(browser, login.headers.get('location')!, USERS.alice);
  let callback: Response;
  if (back.status === 303) {
    callback = await browser.fetch(back.headers.get('location')!);
  } else {
    // form_post: what the auto-submitting page would send, cross-site from the provider.
    const { action, fields } = formPost(await back.text());
    callback = await browser.postForm(action, fields, { 'sec-fetch-site': 'cross-site' });
  }
  return { login, callback };
}
