/**
 * A provider app on a real loopback port: the core's authorization server mounted with
 * `authorizationServer(auth)`, its built-in login and consent pages, and an API protected with
 * `authenticate(auth)`. The issuer is the app's own origin.
 */
import type express5 from 'express';
import type { Express } from 'express';
import { type AuthServer, type AuthServerOptions, createAuthServer, memoryAuthStore } from '../src/index.js';
import { authenticate, authorizationServer } from '../src/index.js';
import { type ExpressVariant, listen } from './express-variants.js';

export const USERS = {
  alice: { username: 'alice', password: 'correct horse battery staple', userId: 'u-alice', businessId: 'b-1' },
  bob: { username: 'bob', password: 'hunter2 hunter2', userId: 'u-bob', businessId: 'b-1' },
} as const;

/** How the host app treats bodies before the authorization server sees them. */
export type BodyMode = 'unparsed' | 'urlencoded' | 'urlencoded-extended' | 'json-only' | 'text';

export interface Provider {
  origin: string;
  issuer: string;
  auth: AuthServer;
  app: Express;
  /** Register a confidential authorization-code client for `redirectUri`. */
  registerClient(redirectUri: string, scopes?: readonly string[]): Promise<{ clientId: string; clientSecret: string }>;
  close(): Promise<void>;
}

export interface ProviderOptions {
  body?: BodyMode;
  /** Issuer path (mount the server under it). Default none. */
  issuerPath?: string;
  overrides?: (issuer: string) => Partial<AuthServerOptions>;
}

function bodyParser(variant: ExpressVariant, mode: BodyMode) {
  const e = variant.express as typeof express5;
  switch (mode) {
    case 'urlencoded':
      return e.urlencoded({ extended: false });
    case 'urlencoded-extended':
      return e.urlencoded({ extended: true });
    case 'json-only':
      return e.json();
    case 'text':
      return e.text({ type: 'application/x-www-form-urlencoded' });
    case 'unparsed':
      return null;
  }
}

export async function startProvider(variant: ExpressVariant, options: ProviderOptions = {}): Promise<Provider> {
  const app = variant.express();
  const server = await listen(app);
  const issuer = server.origin + (options.issuerPath ?? '');
  const auth = createAuthServer({
    issuer,
    store: memoryAuthStore(),
    secrets: ['provider-secret-0123456789-abcdefghijklmnop'],
    cookies: { secure: false },
    methods: { apiKey: true, bearer: true, cookie: true },
    accounts: {
      async authenticate(username, password) {
        const user = Object.values(USERS).find((u) => u.username === username);
        return user && user.password === password ? { userId: user.userId, businessId: user.businessId } : null;
      },
      async permissions() {
        return ['read', 'write'];
      },
    },
    ...options.overrides?.(issuer),
  });
  const parser = bodyParser(variant, options.body ?? 'unparsed');
  if (parser) app.use(parser);
  app.use(authorizationServer(auth));
  app.get('/api/me', authenticate(auth), (req, res) => {
    res.json({ method: req.auth!.method, userId: req.auth!.userId, scopes: req.auth!.scopes });
  });
  app.use((_req, res) => {
    res.status(404).json({ error: 'app_not_found' });
  });
  return {
    origin: server.origin,
    issuer,
    auth,
    app,
    async registerClient(redirectUri, scopes = ['read', 'write']) {
      const { client, clientSecret } = await auth.clients.register({
        name: 'Client app',
        type: 'confidential',
        redirectUris: [redirectUri],
        grantTypes: ['authorization_code', 'refresh_token'],
        scopes,
      });
      return { clientId: client.clientId, clientSecret };
    },
    async close() {
      await server.close();
      await auth.close();
    },
  };
}
