/**
 * Entry point: `node --conditions=@auth/source --import tsx apps/fastify-api/src/server.ts`.
 * Reads the demo configuration (ports, DATA_DIR, AUTH_SECRET/AUTH_PEPPER, DATABASE_URL) and the seeded
 * credentials (DEMO_CREDENTIALS, default `${DATA_DIR}/demo-credentials.json`), then listens on
 * 127.0.0.1:FASTIFY_API_PORT (default 4002).
 */
import { demoConfig } from '../../provider/src/shared-config.js';
import { buildApp } from './app.js';
import { readDemoCredentials } from './demo-credentials.js';
import { openSharedStore } from './store.js';

const config = demoConfig();
const credentials = readDemoCredentials(process.env.DEMO_CREDENTIALS || config.credentialsFile);
const store = openSharedStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
const app = await buildApp({
  issuer: credentials.issuer || config.providerUrl,
  providerUrl: config.providerUrl,
  store,
  secrets: [config.authSecret],
  pepper: config.authPepper,
  machineClient: credentials.machineClients.fastifyApi,
});

await app.listen({ port: config.fastifyApiPort, host: '127.0.0.1' });
console.log(`fastify-api listening on ${config.fastifyApiUrl} (GET /reports, scope campaigns:read)`);

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
