/** Test helpers: a real provider on a free loopback port, a fresh DATA_DIR, and a cookie-jar browser. */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seed } from '../src/seed.js';
import { type RunningProvider, startProvider } from '../src/server.js';
import { type DemoConfig, type DemoCredentials, demoConfig } from '../src/shared-config.js';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export function tempDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'provider-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function testConfig(dataDir: string, env: Record<string, string> = {}): Promise<DemoConfig> {
  return demoConfig({ DATA_DIR: dataDir, PROVIDER_PORT: String(await freePort()), NEXT_CLIENT_PORT: '4001', ...env });
}

export interface Harness {
  config: DemoConfig;
  creds: DemoCredentials;
  provider: RunningProvider;
  url: string;
  /** Stop the server and remove DATA_DIR. */
  close(): Promise<void>;
}

/** Seed a fresh DATA_DIR and start the provider on it. */
export async function startHarness(options: { redirectUris?: string[]; env?: Record<string, string> } = {}): Promise<Harness> {
  const data = tempDataDir();
  const config = await testConfig(data.dir, options.env);
  const creds = await seed({ config, redirectUris: options.redirectUris });
  const quiet = { warn() {}, error() {} };
  const provider = await startProvider({ config, logger: quiet });
  return {
    config,
    creds,
    provider,
    url: config.providerUrl,
    async close() {
      await provider.stop();
      data.remove();
    },
  };
}

/** A browser: keeps cookies, never follows redirects by itself. */
export class Browser {
  readonly jar = new Map<string, string>();

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.jar.size) headers.set('cookie', [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }

  postForm(url: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}): Promise<Response> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) body.append(k, one);
    return this.fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });
  }

  /** Follow a 303 chain of GETs from `res` until a non-redirect or a location off `origin`. */
  async follow(res: Response, origin: string): Promise<Response> {
    let current = res;
    for (let i = 0; i < 10 && current.status >= 300 && current.status < 400; i++) {
      const location = new URL(current.headers.get('location')!, origin);
      if (location.origin !== origin) return current;
      current = await this.fetch(location.href);
    }
    return current;
  }
}

/** The value of an `<input name=...>` in a page. */
export function inputValue(html: string, name: string): string {
  const m = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html);
  if (!m) throw new Error(`no input ${name}`);
  return decodeEntities(m[1]!);
}

/** The text of the element with `data-testid=...`. */
export function testId(html: string, id: string): string | null {
  const m = new RegExp(`data-testid="${id}"[^>]*>([^<]*)<`).exec(html);
  return m ? decodeEntities(m[1]!) : null;
}

function decodeEntities(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#96;/g, '`').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Sign the browser in through the login page; returns the response of the login POST. */
export async function signIn(b: Browser, h: Harness, password = h.creds.user.password, next = '/settings'): Promise<Response> {
  const page = await (await b.fetch(`${h.url}/login?next=${encodeURIComponent(next)}`)).text();
  return b.postForm(`${h.url}/login`, { _csrf: inputValue(page, '_csrf'), next: inputValue(page, 'next'), username: h.creds.user.username, password });
}

export const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

export async function token(h: Harness, body: Record<string, string>, auth?: string): Promise<Response> {
  return fetch(`${h.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(auth ? { authorization: auth } : {}) },
    body: new URLSearchParams(body),
  });
}
