/**
 * A real loopback app: an authorization server (built-in login and consent) mounted by the plugin, a
 * protected `/api/me`, and a host form parser of the kind asked for.
 */
import { parse } from 'node:querystring';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyAuth, { type AuthServer, type AuthServerOptions, createAuthServer, type FastifyAuthOptions, memoryAuthStore } from '../src/index.js';
import { freePort } from './browser.js';

export const USER = { username: 'alice', password: 'correct horse battery staple', userId: 'u-alice', businessId: 'b-1' };

/** How the host app parses forms before the plugin sees them. */
export type HostFormParser = 'none' | 'formbody' | 'urlsearchparams' | 'string';

/**
 * Register a host parser for forms: `formbody` behaves like `@fastify/formbody` (querystring objects,
 * arrays for repeats), `urlsearchparams` yields a URLSearchParams, `string` the raw text.
 */
export function addHostFormParser(app: FastifyInstance, kind: HostFormParser): void {
  if (kind === 'none') return;
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, function hostForm(_req, body, done) {
    const text = body as string;
    done(null, kind === 'formbody' ? { ...parse(text) } : kind === 'urlsearchparams' ? new URLSearchParams(text) : text);
  });
}

export interface LoopbackApp {
  app: FastifyInstance;
  auth: AuthServer;
  origin: string;
  close(): Promise<void>;
}

export async function startLoopbackApp(
  options: { parser?: HostFormParser; plugin?: Partial<FastifyAuthOptions>; auth?: Partial<AuthServerOptions>; routes?: (app: FastifyInstance) => void } = {},
): Promise<LoopbackApp> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const auth = createAuthServer({
    issuer: origin,
    store: memoryAuthStore(),
    secrets: ['loopback-secret-0123456789-abcdefghijklmnop'],
    methods: { bearer: true, cookie: true },
    cookies: { secure: false },
    accounts: {
      async authenticate(username, password) {
        return username === USER.username && password === USER.password ? { userId: USER.userId, businessId: USER.businessId } : null;
      },
    },
    ...options.auth,
  });
  const app = Fastify();
  addHostFormParser(app, options.parser ?? 'none');
  await app.register(fastifyAuth, { auth, authorizationServer: true, ...options.plugin });
  app.get('/api/me', async (request) => ({ userId: request.auth!.userId, method: request.auth!.method, scopes: request.auth!.scopes }));
  options.routes?.(app);
  await app.listen({ port, host: '127.0.0.1' });
  return {
    app,
    auth,
    origin,
    async close() {
      await app.close();
      await auth.close();
    },
  };
}
