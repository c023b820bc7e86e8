import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach } from 'vitest';

/** One request as the API received it. */
export interface ApiHit {
  method: string;
  path: string;
  /** Path and query as sent. */
  target: string;
  headers: IncomingHttpHeaders;
}

/** Options for {@link startApiServer}. */
export interface ApiServerOptions {
  /** Whether the request's credentials are accepted. Default: any `Authorization` header. */
  authorize?: (headers: IncomingHttpHeaders, url: URL) => boolean;
}

/** A running API on 127.0.0.1. */
export interface ApiServer {
  url: string;
  hits: ApiHit[];
  /** Hits whose path (without query) is `path`. */
  hitsTo(path: string): ApiHit[];
  /**
   * Until released, requests to `/held` are parked after being received: their 401/200 is decided
   * when they are released, from the credential they were sent with.
   */
  hold(): { received(count: number): Promise<void>; release(): void };
  setAuthorize(authorize: ApiServerOptions['authorize']): void;
  close(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function drain(req: IncomingMessage): Promise<number> {
  return new Promise((resolve, reject) => {
    let size = 0;
    req.on('data', (chunk: Buffer) => (size += chunk.length));
    req.on('end', () => resolve(size));
    req.on('error', reject);
  });
}

/**
 * A protected API for the adapter tests. Routes: `/data` (200 when authorized, else 401),
 * `/forbidden` (403 when authorized), `/always-401`, `/upload` (POST, reads the body first),
 * `/redirect?to=&status=` (3xx without checking credentials), `/echo` (200, records headers),
 * `/barrier?n=` (answers nobody until n requests arrived, then each as `/data` would), `/held`.
 */
export async function startApiServer(options: ApiServerOptions = {}): Promise<ApiServer> {
  let authorize = options.authorize ?? ((headers: IncomingHttpHeaders) => headers.authorization !== undefined);
  const hits: ApiHit[] = [];
  let gate: { waiting: (() => void)[]; open: boolean; arrivals: number; notify: (() => void)[] } | undefined;
  let barrier: (() => void)[] = [];
  let origin = '';

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    hits.push({ method: req.method ?? 'GET', path: url.pathname, target: req.url ?? '', headers: req.headers });
    const answer = () => (authorize(req.headers, url) ? json(res, 200, { ok: true }) : json(res, 401, { error: 'invalid_token' }));
    const run = async () => {
      switch (url.pathname) {
        case '/data':
          return answer();
        case '/forbidden':
          return authorize(req.headers, url) ? json(res, 403, { error: 'insufficient_scope' }) : json(res, 401, {});
        case '/always-401':
          return json(res, 401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer error="invalid_token"' });
        case '/upload': {
          const size = await drain(req);
          return authorize(req.headers, url) ? json(res, 200, { size }) : json(res, 401, { error: 'invalid_token' });
        }
        case '/redirect':
          res.writeHead(Number(url.searchParams.get('status') ?? 302), { location: url.searchParams.get('to') ?? '/' });
          return res.end();
        case '/echo':
          return json(res, 200, { ok: true });
        case '/barrier': {
          const n = Number(url.searchParams.get('n'));
          await new Promise<void>((resolve) => {
            barrier.push(resolve);
            if (barrier.length >= n) {
              for (const release of barrier) release();
              barrier = [];
            }
          });
          return answer();
        }
        case '/held': {
          const current = gate;
          if (current && !current.open) {
            current.arrivals++;
            for (const notify of current.notify) notify();
            await new Promise<void>((resolve) => current.waiting.push(resolve));
          }
          return answer();
        }
        default:
          return json(res, 404, { error: 'not_found' });
      }
    };
    run().catch(() => {
      if (!res.headersSent) json(res, 500, {});
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: origin,
    hits,
    hitsTo: (path) => hits.filter((hit) => hit.path === path),
    hold() {
      const current = { waiting: [] as (() => void)[], open: false, arrivals: 0, notify: [] as (() => void)[] };
      gate = current;
      return {
        received: (count) =>
          new Promise<void>((resolve) => {
            const check = () => current.arrivals >= count && resolve();
            current.notify.push(check);
            check();
          }),
        release() {
          current.open = true;
          for (const resume of current.waiting) resume();
          current.waiting = [];
        },
      };
    },
    setAuthorize(next) {
      authorize = next ?? authorize;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const release of barrier) release();
        for (const resume of gate?.waiting ?? []) resume();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Two API servers for one suite: `a` (the allowed origin) and `b` (another one), started before each test
 * and closed after it. Read them through the returned object, which always holds the current pair.
 */
export function useTwoApiServers(): { readonly a: ApiServer; readonly b: ApiServer } {
  const servers = {} as { a: ApiServer; b: ApiServer };
  beforeEach(async () => {
    servers.a = await startApiServer();
    servers.b = await startApiServer();
  });
  afterEach(async () => {
    await servers.a.close();
    await servers.b.close();
  });
  return servers;
}
