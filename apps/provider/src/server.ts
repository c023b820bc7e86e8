/**
 * Start the provider on 127.0.0.1:PROVIDER_PORT (run: `pnpm --filter @auth-demo/provider start`).
 *
 * @module
 */
import type { AddressInfo } from 'node:net';
import { createProvider, type Provider, type ProviderOptions } from './app.js';
import { demoConfig } from './shared-config.js';

/** A running provider. */
export interface RunningProvider extends Provider {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Listen on 127.0.0.1 (`port` 0 picks a free port; then set the issuer with `issuerFor`). */
export async function startProvider(options: ProviderOptions & { port?: number }): Promise<RunningProvider> {
  const provider = await createProvider(options);
  const server = provider.app.listen(options.port ?? options.config.providerPort, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    ...provider,
    url: options.config.providerUrl,
    port,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await provider.close();
    },
  };
}

async function main() {
  const config = demoConfig();
  const running = await startProvider({ config });
  const store = config.databaseUrl ? 'Postgres (DATABASE_URL)' : config.sqliteFile;
  console.log(`[provider] listening on ${running.url} (store: ${store})`);
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main().catch((err: unknown) => {
    console.error('[provider] failed to start:', err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
