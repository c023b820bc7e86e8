/**
 * Every test runs on Express 4 and Express 5: one factory per version.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express5 from 'express';
import express4 from 'express4';

/** An Express major version under test. */
export interface ExpressVariant {
  name: string;
  express: typeof express5;
}

export const EXPRESS_VARIANTS: readonly ExpressVariant[] = [
  { name: 'express 5', express: express5 },
  { name: 'express 4', express: express4 },
];

/** A real loopback server for `app`, and its origin. */
export async function listen(app: (req: never, res: never) => void): Promise<{ origin: string; server: Server; close(): Promise<void> }> {
  const { createServer } = await import('node:http');
  const server = createServer(app as never);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
