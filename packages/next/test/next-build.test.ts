/**
 * `next build` of a small App Router app using @auth/next from source (test/fixture-app): the catch-all
 * sign-in route, a Server Component calling auth() (next/headers), a withAuth Route Handler, the provider
 * routes and proxy.ts. Catches type errors (tsc over the app's TypeScript, typed like Next's own route
 * checks) and bundling errors (webpack, server and proxy layers), then serves a few requests.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const app = path.join(here, 'fixture-app');
const require = createRequire(import.meta.url);
// Run the CLIs' scripts with this Node: no reliance on .bin links.
const tsc = require.resolve('typescript/bin/tsc');
const next = require.resolve('next/dist/bin/next');
// CI=1: Next.js installs missing TypeScript packages on its own outside CI; here it must never install.
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', CI: '1', NODE_ENV: 'production' };

function run(command: string, args: string[], timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [command, ...args], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.on('error', (err) => (output += String(err)));
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function filesUnder(dir: string, limit = 5000): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length && out.length < limit) {
    const current = stack.pop()!;
    for (const name of readdirSync(current)) {
      const full = path.join(current, name);
      if (statSync(full).isDirectory()) stack.push(full);
      else out.push(full);
    }
  }
  return out;
}

describe('fixture Next.js app', () => {
  let server: ChildProcess | undefined;
  afterAll(() => {
    server?.kill('SIGTERM');
  });

  it('type-checks the app code against the public types', { timeout: 120_000 }, async () => {
    const { code, output } = await run(tsc, ['-p', 'tsconfig.check.json'], 110_000);
    expect(output).toBe('');
    expect(code).toBe(0);
  });

  it('builds with `next build` and serves the routes', { timeout: 300_000 }, async () => {
    const build = await run(next, ['build', '--webpack'], 240_000);
    expect(build.output).toMatch(/Compiled successfully/);
    expect(build.code, build.output.slice(-3000)).toBe(0);
    for (const route of ['/auth/[...auth]', '/oauth/[...oauth]', '/api/me', '/.well-known/oauth-authorization-server']) {
      expect(build.output).toContain(route);
    }
    expect(build.output).toMatch(/Proxy \(Middleware\)/);
    // Built from source: a symbol only the source has (no dist/ involved).
    const bundled = filesUnder(path.join(app, '.next', 'server')).filter((f) => f.endsWith('.js'));
    expect(bundled.some((f) => readFileSync(f, 'utf8').includes('hasSessionCookie'))).toBe(true);

    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, [next, 'start', '-p', String(port), '-H', '127.0.0.1'], { cwd: app, env, stdio: 'ignore' });
    let ready = false;
    for (let i = 0; i < 100 && !ready; i++) {
      await new Promise((r) => setTimeout(r, 200));
      ready = await fetch(`${origin}/auth/session`).then(
        (r) => r.ok,
        () => false,
      );
    }
    expect(ready).toBe(true);

    const session = await fetch(`${origin}/auth/session`);
    expect(await session.json()).toEqual({ signedIn: false });
    const page = await fetch(`${origin}/dashboard?x=1`, { redirect: 'manual', headers: { accept: 'text/html' } });
    expect(page.status).toBe(307);
    // Next.js turns a same-origin Location from the proxy into a relative one.
    expect(new URL(page.headers.get('location')!, origin).href).toBe(`${origin}/auth/login?returnTo=%2Fdashboard%3Fx%3D1`);
    const whoami = await fetch(`${origin}/whoami`);
    expect(whoami.status).toBe(200);
    expect(await whoami.text()).toContain('signed out');
    const me = await fetch(`${origin}/api/me`);
    expect(me.status).toBe(401);
    expect(me.headers.get('www-authenticate')).toBe('Bearer');
    const metadata = await fetch(`${origin}/.well-known/oauth-authorization-server`);
    expect(((await metadata.json()) as { issuer: string }).issuer).toBe('http://127.0.0.1:3000');
    const login = await fetch(`${origin}/auth/login`, { redirect: 'manual' });
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toMatch(/^http:\/\/127\.0\.0\.1:3000\/oauth\/authorize\?/);
  });
});
