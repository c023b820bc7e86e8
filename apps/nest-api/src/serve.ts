/**
 * Starts nest-api (loaded by `main.ts`, the entry point, with this app's tsconfig).
 * Reads the demo configuration and the seeded credentials (DEMO_CREDENTIALS, default
 * `${DATA_DIR}/demo-credentials.json`), then listens on 127.0.0.1:NEST_API_PORT (default 4003).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { postgresAuthStore, sqliteAuthStore } from '@auth/sql-store';
import { type DemoCredentials, demoConfig } from '../../provider/src/shared-config.js';
import { createNestApiApp } from './app.js';

const config = demoConfig();
const credentialsFile = process.env.DEMO_CREDENTIALS || config.credentialsFile;
let credentials: DemoCredentials;
try {
  credentials = JSON.parse(readFileSync(credentialsFile, 'utf8')) as DemoCredentials;
} catch (cause) {
  throw new Error(`Cannot read ${credentialsFile}: run \`pnpm --filter @auth-demo/provider seed\` first`, { cause });
}
const store = config.databaseUrl
  ? postgresAuthStore({ connectionString: config.databaseUrl })
  : sqliteAuthStore({ filename: path.join(config.dataDir, 'provider.db') });

const app = await createNestApiApp({
  issuer: credentials.issuer || config.providerUrl,
  store,
  secrets: [config.authSecret],
  pepper: config.authPepper,
  machineClient: credentials.machineClients.nestApi,
  fastifyApiUrl: process.env.FASTIFY_API_URL || config.fastifyApiUrl,
});
await app.listen(config.nestApiPort, '127.0.0.1');
console.log(`nest-api listening on ${config.nestApiUrl} (GET /insights, scope campaigns:read)`);

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    app
      .close()
      .then(() => store.close())
      .finally(() => process.exit(0));
  });
}
