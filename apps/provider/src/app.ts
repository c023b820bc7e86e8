/**
 * The provider: an Express 5 app that is both an API (`/v1/me`, `/v1/campaigns`, every scheme) and the
 * OAuth 2.0 authorization server, with its own sign-in, consent and developer settings pages.
 *
 * @module
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import {
  type AuthServer,
  type ClientRecord,
  type CredentialView,
  type Duration,
  type Logger,
  type Principal,
  authenticate,
  authErrorHandler,
  authorizationServer,
  createAuthServer,
  createManagementHandler,
  managementRoutes,
  sendAuthError,
  OAuthError,
} from '@auth/express';
import { postgresAuthStore, type SqlAuthStore, sqliteAuthStore } from '@auth/sql-store';
import express, { type Request, type Response } from 'express';
import { type Account, type AppDb, openAppDb } from './app-db.js';
import { PAGE_HEADERS } from './html.js';
import { consentPage, errorPage, loginPage, settingsPage, type ShownOnce } from './pages.js';
import { verifyPassword } from './passwords.js';
import { API_SCOPES, type DemoConfig, MANAGE_SCOPE } from './shared-config.js';

/** Options of {@link createProvider}. */
export interface ProviderOptions {
  config: DemoConfig;
  /** Access token lifetime (e.g. `'1h'`, `'30s'`). Default PROVIDER_ACCESS_TOKEN_TTL or `'1h'`. */
  accessTokenTtl?: Duration;
  logger?: Logger;
}

/** A provider app with its resources. */
export interface Provider {
  app: express.Express;
  auth: AuthServer;
  store: SqlAuthStore;
  db: AppDb;
  close(): Promise<void>;
}

/** What the core's management routes answer (the fields the pages use). */
interface ManagementJson {
  secret?: string;
  clientSecret?: string;
  credential?: CredentialView;
  client?: ClientRecord;
  error?: string;
  error_description?: string;
}

const ALL_METHODS = ['api_key', 'legacy_api_key', 'personal_token', 'access_token', 'secret', 'cookie'] as const;
const LOCAL_PATH = /^\/[A-Za-z0-9/_-]*$/;
const LOGIN_COOKIE = 'provider_login';

/** A logger that writes one line per event; the core never puts secrets in messages or fields. */
export const consoleLogger: Logger = {
  info: (m, f) => console.log(`[provider] ${m}`, f ? JSON.stringify(f) : ''),
  warn: (m, f) => console.warn(`[provider] ${m}`, f ? JSON.stringify(f) : ''),
  error: (m, f) => console.error(`[provider] ${m}`, f ? JSON.stringify(f) : ''),
};

/** Open the shared store: Postgres when DATABASE_URL is set, else the SQLite file in DATA_DIR. */
export function openStore(config: DemoConfig): SqlAuthStore {
  if (config.databaseUrl) return postgresAuthStore({ connectionString: config.databaseUrl });
  mkdirSync(config.dataDir, { recursive: true });
  return sqliteAuthStore({ filename: config.sqliteFile });
}

/** Open the store and the app tables and build the auth server (used by the app and by the seed). */
export async function openProviderData(options: ProviderOptions): Promise<{ auth: AuthServer; store: SqlAuthStore; db: AppDb }> {
  const { config } = options;
  const store = openStore(config);
  await store.migrate();
  const db = await openAppDb(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { sqliteFile: config.sqliteFile });
  const activeAccount = async (userId: string): Promise<Account | null> => {
    const account = await db.getAccount(userId);
    return account && !account.disabled ? account : null;
  };
  const auth: AuthServer = createAuthServer({
    issuer: config.providerUrl,
    store,
    secrets: [config.authSecret],
    pepper: config.authPepper,
    lifetimes: { accessToken: options.accessTokenTtl ?? (process.env.PROVIDER_ACCESS_TOKEN_TTL as Duration | undefined) ?? '1h' },
    logger: options.logger ?? consoleLogger,
    methods: { apiKey: true, legacyApiKey: true, bearer: true, secret: true, cookie: true, realm: 'provider' },
    cookies: { secure: config.providerUrl.startsWith('https:') },
    accounts: {
      async authenticate(username, password) {
        const account = await db.getAccountByUsername(username);
        const ok = await verifyPassword(password, account?.passwordHash ?? null);
        return ok && account && !account.disabled ? { userId: account.userId, businessId: account.businessId } : null;
      },
      async permissions(userId, businessId) {
        const account = await activeAccount(userId);
        if (!account || (businessId !== null && businessId !== account.businessId)) return null;
        return account.scopes;
      },
    },
    oauth: {
      grants: { password: true },
      scopesSupported: [...API_SCOPES, MANAGE_SCOPE],
      interaction: {
        async currentUser(request) {
          const session = await auth.sessions.read(request.headers.get('cookie') ?? undefined);
          const account = session ? await activeAccount(session.userId) : null;
          return account ? { userId: account.userId, businessId: account.businessId } : null;
        },
        loginUrl: (returnTo) => `${config.providerUrl}/login?next=${encodeURIComponent(returnTo)}`,
        consentUrl: (returnTo) => `${config.providerUrl}/consent?next=${encodeURIComponent(returnTo)}`,
        async hasConsent(grant) {
          const granted = await db.consentedScopes(grant.userId, grant.clientId);
          return grant.scopes.every((s) => granted.includes(s));
        },
        recordConsent: (grant) => db.recordConsent(grant.userId, grant.clientId, grant.scopes),
      },
    },
  });
  return { auth, store, db };
}

/** Build the provider app. Call `close()` when done (flushes last-used times, closes the databases). */
export async function createProvider(options: ProviderOptions): Promise<Provider> {
  const { config } = options;
  const { auth, store, db } = await openProviderData(options);
  const manage = createManagementHandler(auth);
  const issuer = config.providerUrl;
  const app = express();
  app.disable('x-powered-by');

  const hmac = (value: string) => createHmac('sha256', config.authSecret).update(`provider-login:${value}`).digest('base64url');
  const sameString = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
  const asWebRequest = (req: Request) => new Request(`${issuer}/`, { headers: { cookie: req.headers.cookie ?? '' } });
  const sendPage = (res: Response, status: number, body: string) => res.status(status).set(PAGE_HEADERS).send(body);
  const field = (req: Request, name: string): string => {
    const value = (req.body as Record<string, unknown> | undefined)?.[name];
    return typeof value === 'string' ? value : '';
  };
  const fields = (req: Request, name: string): string[] => {
    const value = (req.body as Record<string, unknown> | undefined)?.[name];
    return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && v !== '');
  };

  /** The signed-in user and their session, or null. */
  async function signedIn(req: Request) {
    const session = await auth.sessions.read(req.headers.cookie);
    if (!session) return null;
    const account = await db.getAccount(session.userId);
    return account && !account.disabled ? { session, account } : null;
  }

  /** Where to go after signing in: a pending authorization (re-validated) or a local page. */
  async function safeNext(req: Request, next: string): Promise<string> {
    if (LOCAL_PATH.test(next) && !next.startsWith('//')) return next;
    if (next) {
      const pending = await auth.oauth.pendingAuthorization(asWebRequest(req), next);
      if (pending) return pending.returnTo;
    }
    return '/settings';
  }

  app.use(express.urlencoded({ extended: false, limit: '64kb' }));
  app.use(express.json({ limit: '64kb' }));
  // /oauth/authorize, /oauth/token, /oauth/revoke, /oauth/introspect, /.well-known/oauth-authorization-server
  app.use(authorizationServer(auth));
  // JSON routes for the signed-in user (cookie + CSRF header) or a personal token with credentials:manage.
  app.use(managementRoutes(auth));

  app.get('/health', (_req, res) => {
    res.json({ ok: true });
  });

  app.get('/', async (req, res) => {
    res.redirect(303, (await signedIn(req)) ? '/settings' : '/login');
  });

  // ---- sign in / sign out ------------------------------------------------------------------------
  async function renderLogin(req: Request, res: Response, status: number, error: string | null, username?: string) {
    const next = typeof req.query.next === 'string' ? req.query.next : field(req, 'next');
    const pending = next ? await auth.oauth.pendingAuthorization(asWebRequest(req), next) : null;
    const nonce = randomBytes(18).toString('base64url');
    res.append('set-cookie', `${LOGIN_COOKIE}=${nonce}; Path=/login; HttpOnly; SameSite=Lax; Max-Age=900`);
    sendPage(res, status, loginPage({ next, csrf: hmac(nonce), clientName: pending?.client.name ?? null, error, username }));
  }

  app.get('/login', async (req, res) => {
    const user = await signedIn(req);
    const next = typeof req.query.next === 'string' ? req.query.next : '';
    if (user) return void res.redirect(303, await safeNext(req, next));
    await renderLogin(req, res, 200, null);
  });

  app.post('/login', async (req, res) => {
    const site = req.headers['sec-fetch-site'];
    const nonce = /(?:^|;\s*)provider_login=([A-Za-z0-9_-]{24})(?:;|$)/.exec(req.headers.cookie ?? '')?.[1];
    if (site === 'cross-site' || !nonce || !sameString(field(req, '_csrf'), hmac(nonce))) {
      return void sendPage(res, 403, errorPage('Sign-in form expired', 'The sign-in form expired. Go back and try again.'));
    }
    const username = field(req, 'username').slice(0, 256);
    const password = field(req, 'password').slice(0, 1024);
    const user = username && password ? await auth.context.accounts.authenticate!(username, password) : null;
    if (!user) return void (await renderLogin(req, res, 401, 'Wrong email or password.', username));
    const account = (await db.getAccount(user.userId))!;
    const { setCookie } = auth.sessions.issue({ userId: account.userId, businessId: account.businessId, scopes: account.scopes });
    res.append('set-cookie', setCookie);
    res.append('set-cookie', `${LOGIN_COOKIE}=; Path=/login; HttpOnly; SameSite=Lax; Max-Age=0`);
    res.redirect(303, await safeNext(req, field(req, 'next')));
  });

  app.post('/logout', authenticate(auth, { allow: ['cookie'] }), (_req, res) => {
    res.append('set-cookie', auth.sessions.clear());
    res.redirect(303, '/login');
  });

  // ---- consent -------------------------------------------------------------------------------------
  app.get('/consent', async (req, res) => {
    const next = typeof req.query.next === 'string' ? req.query.next : '';
    const user = await signedIn(req);
    if (!user) return void res.redirect(303, `/login?next=${encodeURIComponent(next)}`);
    const pending = await auth.oauth.pendingAuthorization(asWebRequest(req), next);
    if (!pending) {
      return void sendPage(res, 400, errorPage('Request expired', 'This authorization request has expired or was started in another browser. Go back to the application and start again.'));
    }
    sendPage(res, 200, consentPage({ user: { username: user.account.username, csrfToken: user.session.csrfToken }, client: pending.client, scopes: pending.scopes, next }));
  });

  app.post('/consent', authenticate(auth, { allow: ['cookie'] }), async (req, res) => {
    const pending = await auth.oauth.pendingAuthorization(asWebRequest(req), field(req, 'next'));
    if (!pending) {
      return void sendPage(res, 400, errorPage('Request expired', 'This authorization request has expired or was started in another browser. Go back to the application and start again.'));
    }
    if (field(req, 'decision') === 'approve') {
      await db.recordConsent(req.auth!.userId!, pending.client.clientId, pending.scopes);
      return void res.redirect(303, pending.returnTo);
    }
    res.redirect(303, `${pending.returnTo}&deny=1`);
  });

  // ---- developer settings ----------------------------------------------------------------------------
  async function renderSettings(req: Request, res: Response, status: number, extra: { shown?: ShownOnce; error?: string } = {}) {
    const user = await signedIn(req);
    if (!user) return void res.redirect(303, '/login?next=/settings');
    const userId = user.account.userId;
    const [apiKeys, personalTokens, secrets, apps] = await Promise.all([
      auth.apiKeys.list({ userId }),
      auth.personalTokens.list({ userId }),
      auth.secrets.list({ userId }),
      auth.clients.list({ ownerUserId: userId }),
    ]);
    const { account, session } = user;
    sendPage(
      res,
      status,
      settingsPage({
        user: { username: account.username, displayName: account.displayName, userId, businessId: account.businessId, csrfToken: session.csrfToken },
        apiKeys,
        personalTokens,
        secrets,
        apps,
        ...extra,
      }),
    );
  }

  /** Call the core's management handler for the signed-in user (it owns validation and ownership). */
  async function managed(principal: Principal, method: string, path: string, body?: unknown) {
    const response = await manage.handle(
      new Request(`${issuer}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
      { principal, body },
    );
    const json = (await response.json()) as ManagementJson;
    return { ok: response.ok, status: response.status, json, error: response.ok ? '' : String(json.error_description ?? json.error) };
  }

  const cookieOnly = authenticate(auth, { allow: ['cookie'] });

  app.get('/settings', async (req, res) => {
    await renderSettings(req, res, 200);
  });

  const CREDENTIAL_AREAS = { 'api-keys': 'api-key', 'personal-tokens': 'personal-token', secrets: 'secret' } as const;
  const TITLES = { 'api-key': 'New API key', 'personal-token': 'New personal access token', secret: 'New client secret' } as const;
  for (const [area, kind] of Object.entries(CREDENTIAL_AREAS)) {
    app.post(`/settings/${area}`, cookieOnly, async (req, res) => {
      const input: Record<string, unknown> = { name: field(req, 'name').trim(), scopes: fields(req, 'scopes') };
      if (field(req, 'expiresIn')) input.expiresIn = field(req, 'expiresIn');
      // API keys need the business (seed 000); personal tokens are bound to it so campaigns resolve.
      if (kind !== 'secret') input.businessId = req.auth!.businessId;
      if ((input.scopes as string[]).length === 0) return renderSettings(req, res, 400, { error: 'Choose at least one scope.' });
      const r = await managed(req.auth!, 'POST', `/account/${area}`, input);
      if (!r.ok) return renderSettings(req, res, r.status, { error: r.error });
      const c = r.json.credential!;
      await renderSettings(req, res, 201, {
        shown: { kind, title: TITLES[kind], secret: r.json.secret!, id: c.id, businessId: c.businessId, userId: c.userId },
      });
    });
    app.post(`/settings/${area}/:id/revoke`, cookieOnly, async (req, res) => {
      const r = await managed(req.auth!, 'DELETE', `/account/${area}/${encodeURIComponent(String(req.params.id))}`);
      if (!r.ok) return renderSettings(req, res, r.status, { error: r.error });
      res.redirect(303, `/settings#${area}`);
    });
  }

  app.post('/settings/apps', cookieOnly, async (req, res) => {
    const type = field(req, 'type') === 'public' ? 'public' : 'confidential';
    const redirectUris = field(req, 'redirectUris').split(/\r?\n/).map((u) => u.trim()).filter(Boolean);
    const grantTypes =
      type === 'public' ? ['authorization_code', 'refresh_token'] : redirectUris.length ? ['authorization_code', 'refresh_token', 'client_credentials'] : ['client_credentials'];
    const r = await managed(req.auth!, 'POST', '/account/apps', { name: field(req, 'name').trim(), type, redirectUris, grantTypes, scopes: fields(req, 'scopes') });
    if (!r.ok) return renderSettings(req, res, r.status, { error: r.error });
    const client = r.json.client!;
    await renderSettings(req, res, 201, {
      shown: { kind: 'app', title: `Application registered: ${client.name}`, secret: r.json.clientSecret ?? null, id: client.clientId, clientId: client.clientId },
    });
  });

  app.post('/settings/apps/:id/rotate', cookieOnly, async (req, res) => {
    const clientId = String(req.params.id);
    const r = await managed(req.auth!, 'POST', `/account/apps/${encodeURIComponent(clientId)}/secrets`, {});
    if (!r.ok) return renderSettings(req, res, r.status, { error: r.error });
    await renderSettings(req, res, 201, {
      shown: { kind: 'app-secret', title: 'New client secret (the old one stopped working)', secret: r.json.clientSecret!, id: clientId, clientId },
    });
  });

  app.post('/settings/apps/:id/revoke', cookieOnly, async (req, res) => {
    const r = await managed(req.auth!, 'DELETE', `/account/apps/${encodeURIComponent(String(req.params.id))}`);
    if (!r.ok) return renderSettings(req, res, r.status, { error: r.error });
    res.redirect(303, '/settings#apps');
  });

  // ---- the API ---------------------------------------------------------------------------------------
  app.get('/v1/me', authenticate(auth, { allow: ALL_METHODS }), async (req, res) => {
    const p = req.auth!;
    const account = p.userId ? await db.getAccount(p.userId) : null;
    res.set('cache-control', 'no-store').json({
      userId: p.userId,
      businessId: p.businessId,
      clientId: p.clientId ?? null,
      method: p.method,
      scopes: p.scopes,
      user: account && p.scopes.includes('profile') ? { username: account.username, name: account.displayName } : null,
    });
  });

  app.get('/v1/campaigns', authenticate(auth, { scopes: ['campaigns:read'] }), async (req, res) => {
    const businessId = req.auth!.businessId;
    res.set('cache-control', 'no-store').json({ businessId, items: businessId ? await db.listCampaigns(businessId) : [] });
  });

  app.post('/v1/campaigns', authenticate(auth, { scopes: ['campaigns:write'] }), async (req, res) => {
    const name = (req.body as Record<string, unknown> | undefined)?.name;
    const businessId = req.auth!.businessId;
    if (typeof name !== 'string' || name.trim() === '' || name.length > 100) {
      return void sendAuthError(res, new OAuthError('invalid_request', '`name` must be a string of 1 to 100 characters'));
    }
    if (!businessId) return void sendAuthError(res, new OAuthError('invalid_request', 'The credential is not bound to a business'));
    const campaign = { id: `cmp_${randomBytes(9).toString('base64url')}`, businessId, name: name.trim(), createdAt: Date.now() };
    await db.createCampaign(campaign);
    res.status(201).json(campaign);
  });

  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', error_description: 'No such route' });
  });
  app.use(authErrorHandler({ all: true }));

  return {
    app,
    auth,
    store,
    db,
    async close() {
      await auth.close();
      await store.close();
      await db.close();
    },
  };
}
