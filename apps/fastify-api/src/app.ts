/**
 * The fastify-api resource server: `/reports` is protected by @auth/fastify over the provider's store
 * (no authorization server of its own), and builds its answer from the provider's `/v1/campaigns`,
 * called with this service's own client_credentials token from @auth/core's token manager.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyAuth, {
  type AuthStore,
  authFetch,
  clientCredentials,
  createAuthServer,
  createTokenManager,
  type Logger,
} from '@auth/fastify';

export interface FastifyApiOptions {
  /** The provider's issuer URL: its tokens are verified against the shared store under this issuer. */
  issuer: string;
  /** The store the provider writes (SQLite file or Postgres). Not closed by the app. */
  store: AuthStore;
  /** The provider's AUTH_SECRET (and previous ones), newest first. */
  secrets: readonly string[];
  /** The provider's AUTH_PEPPER: stored hashes only match with the same pepper. */
  pepper?: string;
  /** This service's client_credentials client at the provider. */
  machineClient: { clientId: string; clientSecret: string };
  /** Where the provider's API lives (default: the issuer). */
  providerUrl?: string;
  /** For tests: the transport used for token requests and the upstream call. */
  fetch?: typeof globalThis.fetch;
  logger?: boolean;
}

/** What `/reports` answers. */
export interface ReportsBody {
  service: 'fastify-api';
  caller: { method: string; userId: string | null; clientId: string | null; scopes: readonly string[] };
  report: { campaignCount: number; campaigns: unknown[] };
  upstream: { url: string; status: number };
}

/** Build the app (not listening). Close it with `app.close()`; that also stops the verifier's timers. */
export async function buildApp(options: FastifyApiOptions): Promise<FastifyInstance> {
  const authLogger: Logger = { warn: (m) => console.warn(`[fastify-api] ${m}`), error: (m) => console.error(`[fastify-api] ${m}`) };
  const auth = createAuthServer({
    issuer: options.issuer,
    store: options.store,
    secrets: options.secrets,
    pepper: options.pepper,
    // A resource server: API keys and Bearer tokens (OAuth access tokens and personal tokens) issued by the
    // provider, looked up in the shared store. No cookies, no OAuth endpoints here.
    methods: { apiKey: true, bearer: true, realm: 'fastify-api' },
    logger: authLogger,
  });

  const providerUrl = (options.providerUrl ?? options.issuer).replace(/\/$/, '');
  const tokens = createTokenManager(
    clientCredentials({
      issuer: options.issuer,
      clientId: options.machineClient.clientId,
      clientSecret: options.machineClient.clientSecret,
      scope: 'campaigns:read',
      ...(options.fetch ? { fetch: options.fetch } : {}),
    }),
  );
  const provider = authFetch(tokens, options.fetch ? { fetch: options.fetch } : {});

  const app = Fastify({ logger: options.logger ?? false });
  await app.register(fastifyAuth, { auth });
  app.addHook('onClose', async () => {
    await auth.close();
  });

  app.get('/health', { config: { auth: false } }, async () => ({ ok: true, service: 'fastify-api' }));

  app.get('/reports', { config: { auth: { scopes: ['campaigns:read'] } } }, async (request, reply): Promise<ReportsBody | unknown> => {
    const principal = request.auth!;
    const url = `${providerUrl}/v1/campaigns`;
    const upstream = await provider(url, { headers: { accept: 'application/json' } });
    const body = (await upstream.json().catch(() => null)) as { items?: unknown[] } | null;
    if (!upstream.ok) {
      reply.code(502);
      return { error: 'upstream_error', error_description: `provider answered ${upstream.status}`, upstream: { url, status: upstream.status } };
    }
    // The provider answers `{ businessId, items: [...] }`.
    const campaigns = Array.isArray(body?.items) ? body.items : [];
    return {
      service: 'fastify-api',
      caller: { method: principal.method, userId: principal.userId, clientId: principal.clientId, scopes: principal.scopes },
      report: { campaignCount: campaigns.length, campaigns },
      upstream: { url, status: upstream.status },
    } satisfies ReportsBody;
  });

  return app;
}
