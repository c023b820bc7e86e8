/**
 * next-client's configuration, read at request time (never at build time, so `next build` needs no
 * seeded provider): the provider URL, this app's URL, and the `nextClient` entry of the seeded
 * demo-credentials.json.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface NextClientConfig {
  providerUrl: string;
  appUrl: string;
  clientId: string;
  clientSecret: string | undefined;
  redirectUri: string;
  scope: string;
  /** Seals the sign-in cookies (>= 32 characters). */
  signInSecret: string;
}

/** DEV ONLY, public in this repository: set SIGN_IN_SECRET (or AUTH_SECRET) for anything else. */
const DEV_ONLY_SIGN_IN_SECRET = 'dev-only-next-client-sign-in-secret-NOT-FOR-PRODUCTION';

function credentialsFile(env: NodeJS.ProcessEnv): string {
  if (env.DEMO_CREDENTIALS) return env.DEMO_CREDENTIALS;
  // `next` runs with apps/next-client as its working directory; DATA_DIR defaults to <repo root>/.data.
  const dataDir = env.DATA_DIR || path.resolve(process.cwd(), '../../.data');
  return path.join(dataDir, 'demo-credentials.json');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): NextClientConfig {
  const file = credentialsFile(env);
  let credentials: { issuer?: string; nextClient?: { clientId: string; clientSecret?: string; redirectUri: string; scopes?: string[] } };
  try {
    credentials = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new Error(`next-client: cannot read ${file}; run \`pnpm --filter @auth-demo/provider seed\` first`, { cause });
  }
  const client = credentials.nextClient;
  if (!client?.clientId || !client.redirectUri) throw new Error(`next-client: ${file} has no nextClient entry`);
  const port = env.NEXT_CLIENT_PORT || '4001';
  return {
    providerUrl: (env.PROVIDER_URL || credentials.issuer || `http://127.0.0.1:${env.PROVIDER_PORT || '4000'}`).replace(/\/$/, ''),
    appUrl: `http://localhost:${port}`,
    clientId: client.clientId,
    clientSecret: client.clientSecret || undefined,
    redirectUri: client.redirectUri,
    scope: (client.scopes?.length ? client.scopes : ['campaigns:read', 'campaigns:write', 'profile']).join(' '),
    signInSecret: env.SIGN_IN_SECRET || env.AUTH_SECRET || DEV_ONLY_SIGN_IN_SECRET,
  };
}
