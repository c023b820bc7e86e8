/**
 * Seed the demo data and write `${DATA_DIR}/demo-credentials.json` (run:
 * `pnpm --filter @auth-demo/provider seed [--redirect-uri <uri> ...]`).
 *
 * Idempotent, and it KEEPS what still works: every credential in an existing credentials file is checked
 * against the store (the secret verifies, the client is active) and reused; only what is missing or no
 * longer valid is created again. Running apps keep working across re-seeds. Extra redirect URIs are added
 * to the demo clients (never removed). Delete DATA_DIR to start from scratch.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type AuthServer, authenticateClientSecret, type GrantType } from '@auth/express';
import type { AppDb } from './app-db.js';
import { openProviderData } from './app.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { API_SCOPES, DEMO_USERNAME, type DemoConfig, type DemoCredentials, demoConfig } from './shared-config.js';

/** The demo user's fixed ids (seed 000: both go in headers next to the API key). */
export const DEMO_USER_ID = 'usr_demo';
export const DEMO_BUSINESS_ID = 'biz_demo';
/** A loopback redirect URI for native / CLI use of the public client. */
export const LOOPBACK_REDIRECT_URI = 'http://127.0.0.1:8765/callback';

const SCOPES = [...API_SCOPES];
const USER_SCOPES = [...API_SCOPES, 'credentials:manage'];

/** Options of {@link seed}. */
export interface SeedOptions {
  config: DemoConfig;
  /** Extra redirect URIs to register on the demo clients (confidential, public and next-client). */
  redirectUris?: readonly string[];
  /** An already open auth server and app database (tests, or a running provider); else opened and closed here. */
  data?: { auth: AuthServer; db: AppDb };
}

function readPrevious(file: string): Partial<DemoCredentials> | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Partial<DemoCredentials>;
  } catch {
    return null;
  }
}

async function verifies(auth: AuthServer, headers: Record<string, string>, method: string): Promise<boolean> {
  try {
    const principal = await auth.verify((name) => headers[name], { allow: [method as 'api_key'], httpMethod: 'GET' });
    return principal.method === method;
  } catch {
    return false;
  }
}

const union = (...lists: (readonly string[] | undefined)[]) => [...new Set(lists.flatMap((l) => l ?? []))];

/** Create or reuse every demo credential; write and return the credentials JSON. */
export async function seed(options: SeedOptions): Promise<DemoCredentials> {
  const { config } = options;
  const extra = options.redirectUris ?? [];
  const opened = options.data ? null : await openProviderData({ config, logger: { warn() {}, error: (m) => console.error(m) } });
  const { auth, db } = options.data ?? opened!;
  try {
    const prev = readPrevious(config.credentialsFile) ?? {};
    const nextRedirect = `${config.nextClientUrl}/auth/callback`;

    // The user: keep the password if it still matches.
    let password = prev.user?.password;
    const account = await db.getAccount(DEMO_USER_ID);
    const keepPassword = !!password && !!account && (await verifyPassword(password, account.passwordHash));
    if (!keepPassword) password = randomBytes(12).toString('base64url');
    await db.upsertAccount({
      userId: DEMO_USER_ID,
      username: DEMO_USERNAME,
      displayName: 'Demo User',
      businessId: DEMO_BUSINESS_ID,
      passwordHash: keepPassword ? account!.passwordHash : await hashPassword(password!),
      scopes: USER_SCOPES,
      disabled: false,
    });
    for (const [id, name] of [
      ['cmp_demo_spring', 'Spring launch'],
      ['cmp_demo_retarget', 'Retargeting, EU'],
    ] as const) {
      await db.createCampaign({ id, businessId: DEMO_BUSINESS_ID, name, createdAt: Date.now() });
    }

    const owner = { userId: DEMO_USER_ID, businessId: DEMO_BUSINESS_ID };
    const ids = { 'x-business-id': DEMO_BUSINESS_ID, 'x-user-id': DEMO_USER_ID };

    const apiKey =
      prev.apiKey?.key && (await verifies(auth, { 'x-api-key': prev.apiKey.key, ...ids }, 'api_key'))
        ? prev.apiKey.key
        : (await auth.apiKeys.create({ name: 'Demo API key', ...owner, scopes: SCOPES })).secret;
    const legacyKey =
      prev.legacyApiKey?.key && (await verifies(auth, { 'x-api-key': prev.legacyApiKey.key }, 'legacy_api_key'))
        ? prev.legacyApiKey.key
        : (await auth.apiKeys.create({ name: 'Legacy integration (X-API-Key)', ...owner, scopes: ['campaigns:read', 'profile'] })).secret;
    const pat =
      prev.personalToken && (await verifies(auth, { authorization: `Bearer ${prev.personalToken}` }, 'personal_token'))
        ? prev.personalToken
        : (await auth.personalTokens.create({ name: 'Demo personal token', ...owner, scopes: SCOPES })).secret;
    const secret =
      prev.secret && (await verifies(auth, { authorization: `Secret ${prev.secret}` }, 'secret'))
        ? prev.secret
        : (await auth.secrets.create({ name: 'Demo Secret', ...owner, scopes: ['campaigns:read', 'profile'] })).secret;

    /** Reuse a client if it is active (and its secret still authenticates), else register it; then add redirect URIs. */
    async function client(
      previous: { clientId?: string; clientSecret?: string } | undefined,
      input: { name: string; type: 'confidential' | 'public'; grantTypes: GrantType[]; redirectUris: string[]; scopes: string[]; ownerUserId: string | null },
    ): Promise<{ clientId: string; clientSecret: string | undefined; redirectUris: string[] }> {
      const existing = previous?.clientId ? await auth.clients.get(previous.clientId) : null;
      const secretOk =
        input.type === 'public' || (!!previous?.clientSecret && (await authenticateClientSecret(auth.context, previous.clientId!, previous.clientSecret)));
      if (existing && existing.revokedAt === null && existing.type === input.type && secretOk) {
        const redirectUris = union(existing.redirectUris, input.redirectUris);
        const updated = await auth.clients.update(existing.clientId, { redirectUris, grantTypes: input.grantTypes, scopes: input.scopes });
        return { clientId: existing.clientId, clientSecret: previous?.clientSecret, redirectUris: updated!.redirectUris };
      }
      const registered = await auth.clients.register({ ...input, businessId: DEMO_BUSINESS_ID });
      return { clientId: registered.client.clientId, clientSecret: registered.clientSecret, redirectUris: registered.client.redirectUris };
    }

    const fullGrants: GrantType[] = ['authorization_code', 'refresh_token', 'client_credentials', 'password'];
    const confidential = await client(prev.confidentialClient, {
      name: 'Demo confidential client',
      type: 'confidential',
      grantTypes: fullGrants,
      redirectUris: union([nextRedirect, LOOPBACK_REDIRECT_URI], extra),
      scopes: SCOPES,
      ownerUserId: DEMO_USER_ID,
    });
    const pub = await client(prev.publicClient, {
      name: 'Demo public client (PKCE)',
      type: 'public',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: union([LOOPBACK_REDIRECT_URI, nextRedirect], extra),
      scopes: SCOPES,
      ownerUserId: DEMO_USER_ID,
    });
    const next = await client(prev.nextClient, {
      name: 'Next.js demo client',
      type: 'confidential',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: union([nextRedirect], extra),
      scopes: SCOPES,
      ownerUserId: DEMO_USER_ID,
    });
    const machine = async (key: 'fastifyApi' | 'nestApi', name: string) => {
      const c = await client(prev.machineClients?.[key], {
        name,
        type: 'confidential',
        grantTypes: ['client_credentials'],
        redirectUris: [],
        scopes: ['campaigns:read', 'profile'],
        ownerUserId: null,
      });
      return { clientId: c.clientId, clientSecret: c.clientSecret!, scopes: ['campaigns:read', 'profile'] };
    };

    const metadata = auth.oauth.metadata() as Record<string, string>;
    const credentials: DemoCredentials = {
      issuer: config.providerUrl,
      endpoints: {
        authorization: metadata.authorization_endpoint!,
        token: metadata.token_endpoint!,
        revocation: metadata.revocation_endpoint!,
        introspection: metadata.introspection_endpoint!,
        metadata: `${config.providerUrl}/.well-known/oauth-authorization-server`,
      },
      user: { username: DEMO_USERNAME, password: password!, userId: DEMO_USER_ID, businessId: DEMO_BUSINESS_ID },
      confidentialClient: {
        clientId: confidential.clientId,
        clientSecret: confidential.clientSecret!,
        grantTypes: fullGrants,
        redirectUris: confidential.redirectUris,
        scopes: SCOPES,
      },
      publicClient: { clientId: pub.clientId, redirectUris: pub.redirectUris, scopes: SCOPES },
      nextClient: { clientId: next.clientId, clientSecret: next.clientSecret!, redirectUri: nextRedirect, scopes: SCOPES },
      apiKey: { key: apiKey, businessId: DEMO_BUSINESS_ID, userId: DEMO_USER_ID },
      legacyApiKey: { key: legacyKey },
      personalToken: pat,
      secret,
      machineClients: {
        fastifyApi: await machine('fastifyApi', 'fastify-api (machine client)'),
        nestApi: await machine('nestApi', 'nest-api (machine client)'),
      },
    };
    mkdirSync(dirname(config.credentialsFile), { recursive: true });
    writeFileSync(config.credentialsFile, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
    return credentials;
  } finally {
    if (opened) {
      await opened.auth.close();
      await opened.store.close();
      await opened.db.close();
    }
  }
}

/** Parse `--redirect-uri <uri>` / `--redirect-uri=<uri>` (repeatable). */
export function parseSeedArgs(argv: readonly string[]): { redirectUris: string[] } {
  const redirectUris: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') continue;
    if (arg === '--redirect-uri') {
      const value = argv[++i];
      if (!value) throw new Error('--redirect-uri needs a value');
      redirectUris.push(value);
    } else if (arg.startsWith('--redirect-uri=')) {
      redirectUris.push(arg.slice('--redirect-uri='.length));
    } else {
      throw new Error(`Unknown argument: ${arg} (usage: seed [--redirect-uri <uri> ...])`);
    }
  }
  return { redirectUris };
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  try {
    const { redirectUris } = parseSeedArgs(process.argv.slice(2));
    const credentials = await seed({ config: demoConfig(), redirectUris });
    process.stdout.write(`${JSON.stringify(credentials, null, 2)}\n`);
  } catch (err) {
    const e = err as { error_description?: string; message?: string };
    console.error(`seed failed: ${e.error_description ?? e.message ?? String(err)}`);
    process.exitCode = 1;
  }
}
