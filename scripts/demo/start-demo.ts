/**
 * The demo orchestrator: seed the shared store, start every demo app as a child process, wait until each
 * answers, print the URLs and demo credentials, and hand back `stop()`.
 *
 * Used by `pnpm demo` (scripts/demo/main.ts) and by the browser e2e tests. No workspace imports: the
 * apps run in their own processes (`node --conditions=@auth/source --import tsx <entry>`), so this module
 * works under plain tsx as well as inside vitest.
 *
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DemoCredentials, demoConfig } from '../../apps/provider/src/shared-config.js';

/** The four servers of the demo system. */
export type DemoApp = 'provider' | 'next-client' | 'fastify-api' | 'nest-api';
export const DEMO_APPS: readonly DemoApp[] = ['provider', 'next-client', 'fastify-api', 'nest-api'];

/** Options of {@link startDemo}. */
export interface StartDemoOptions {
  /** Ports; default from PROVIDER_PORT etc., else 4000-4003. */
  ports?: Partial<Record<'provider' | 'nextClient' | 'fastifyApi' | 'nestApi', number>>;
  /** DATA_DIR for the shared SQLite file and the credentials JSON. Default DATA_DIR or `<repo>/.data`. */
  dataDir?: string;
  /** `next dev` or `next start` (which needs a build). */
  nextMode: 'dev' | 'start';
  /** Which apps to start (the provider is always started). Default: all four. */
  apps?: readonly DemoApp[];
  /** Where output lines go (each app's lines are prefixed). Default `console.log`. */
  log?: (line: string) => void;
  /** Extra environment for every app (e.g. `{ PROVIDER_ACCESS_TOKEN_TTL: '30s' }`). */
  env?: Record<string, string>;
  /** Extra redirect URIs to register on the demo clients (the seed's `--redirect-uri`). */
  redirectUris?: readonly string[];
  /** How long each app may take to answer. Default 60 s (180 s for `next dev`). */
  readyTimeoutMs?: number;
  /** Print the table of URLs and credentials. Default true. */
  printTable?: boolean;
}

/** A running demo system. */
export interface RunningDemo {
  urls: Record<DemoApp, string>;
  credentials: DemoCredentials;
  credentialsFile: string;
  /** Stop every app (SIGTERM to each process group, SIGKILL after 5 s). Safe to call twice. */
  stop(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NODE_ARGS = ['--conditions=@auth/source', '--import', 'tsx'];

/** The entry file of a Node app (provider, fastify-api, nest-api), or null when it is not there yet. */
export function nodeEntry(app: DemoApp): string | null {
  for (const file of ['src/server.ts', 'src/main.ts', 'src/index.ts']) {
    const path = join(ROOT, 'apps', app, file);
    if (existsSync(path)) return path;
  }
  return null;
}

function nextScript(mode: 'dev' | 'start'): boolean {
  try {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'apps/next-client/package.json'), 'utf8')) as { scripts?: Record<string, string> };
    return typeof pkg.scripts?.[mode] === 'string';
  } catch {
    return false;
  }
}

/** Apps that can be started now (their entry or script exists). */
export function availableApps(nextMode: 'dev' | 'start' = 'dev'): DemoApp[] {
  return DEMO_APPS.filter((app) => (app === 'next-client' ? nextScript(nextMode) : nodeEntry(app) !== null));
}

interface Child {
  app: DemoApp;
  proc: ChildProcess;
  exited: Promise<number | null>;
  tail: string[];
}

function launch(app: DemoApp, command: string, args: string[], env: NodeJS.ProcessEnv, log: (line: string) => void): Child {
  // detached: the child leads its own process group, so stop() also reaches what it spawns (next's workers).
  const proc = spawn(command, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      tail.push(line);
      if (tail.length > 30) tail.shift();
      log(`[${app}] ${line}`);
    }
  };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => {
    proc.once('exit', (code) => resolve(code));
    proc.once('error', () => resolve(-1));
  });
  return { app, proc, exited, tail };
}

async function killGroup(child: Child): Promise<void> {
  const { proc } = child;
  if (proc.exitCode !== null || proc.signalCode !== null || proc.pid === undefined) return;
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-proc.pid!, s);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5000).unref());
  if ((await Promise.race([child.exited, timer])) === 'timeout') {
    signal('SIGKILL');
    await child.exited;
  }
}

async function waitUntilAnswering(child: Child, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void child.exited.then((code) => {
    exitCode = code;
  });
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      throw new Error(`${child.app} exited (code ${exitCode}) before answering. Last output:\n${child.tail.join('\n')}`);
    }
    try {
      const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(5000) });
      await res.body?.cancel();
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${child.app} did not answer at ${url} within ${timeoutMs} ms. Last output:\n${child.tail.join('\n')}`);
}

async function runSeed(env: NodeJS.ProcessEnv, redirectUris: readonly string[]): Promise<void> {
  const args = [...NODE_ARGS, join(ROOT, 'apps/provider/src/seed.ts'), ...redirectUris.flatMap((u) => ['--redirect-uri', u])];
  const proc = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString('utf8');
  });
  const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
  if (code !== 0) throw new Error(`Seeding failed: ${stderr.trim()}`);
}

/** Format the table `pnpm demo` prints. */
export function demoTable(urls: Partial<Record<DemoApp, string>>, c: DemoCredentials, credentialsFile: string): string {
  const rows = [
    ['provider', urls.provider, 'API + authorization server; sign in, consent, /settings (@auth/express)'],
    ['next-client', urls['next-client'], 'Sign in with provider, form_post (@auth/next)'],
    ['fastify-api', urls['fastify-api'], 'Resource server (@auth/fastify)'],
    ['nest-api', urls['nest-api'], 'Resource server (@auth/nestjs)'],
  ].filter((r) => r[1]);
  return [
    '',
    'Demo system is running (DEV ONLY credentials below):',
    ...rows.map(([name, url, what]) => `  ${name!.padEnd(12)} ${url!.padEnd(24)} ${what}`),
    '',
    `  user            ${c.user.username} / ${c.user.password}`,
    `  API key         X-API-KEY: ${c.apiKey.key}  X-BUSINESS-ID: ${c.apiKey.businessId}  X-USER-ID: ${c.apiKey.userId}`,
    `  legacy key      X-API-Key: ${c.legacyApiKey.key}`,
    `  personal token  Authorization: Bearer ${c.personalToken}`,
    `  Secret          Authorization: Secret ${c.secret}`,
    `  conf. client    ${c.confidentialClient.clientId} / ${c.confidentialClient.clientSecret}`,
    `  public client   ${c.publicClient.clientId} (PKCE)`,
    '',
    `  All of it as JSON: ${credentialsFile}  (or: pnpm --silent demo:credentials)`,
    '',
  ].join('\n');
}

/** Seed, start the apps, wait for them, print the table; returns URLs, credentials and `stop()`. */
export async function startDemo(options: StartDemoOptions): Promise<RunningDemo> {
  const log = options.log ?? ((line: string) => console.log(line));
  const p = options.ports ?? {};
  const baseEnv: Record<string, string | undefined> = {
    // A demo should not phone home (and the network here is closed anyway).
    NEXT_TELEMETRY_DISABLED: '1',
    ...process.env,
    ...options.env,
    ...(p.provider ? { PROVIDER_PORT: String(p.provider) } : {}),
    ...(p.nextClient ? { NEXT_CLIENT_PORT: String(p.nextClient) } : {}),
    ...(p.fastifyApi ? { FASTIFY_API_PORT: String(p.fastifyApi) } : {}),
    ...(p.nestApi ? { NEST_API_PORT: String(p.nestApi) } : {}),
    ...(options.dataDir ? { DATA_DIR: options.dataDir } : {}),
  };
  const config = demoConfig(baseEnv);
  const env: NodeJS.ProcessEnv = {
    ...baseEnv,
    PROVIDER_PORT: String(config.providerPort),
    NEXT_CLIENT_PORT: String(config.nextClientPort),
    FASTIFY_API_PORT: String(config.fastifyApiPort),
    NEST_API_PORT: String(config.nestApiPort),
    DATA_DIR: config.dataDir,
  };
  const urls: Record<DemoApp, string> = {
    provider: config.providerUrl,
    'next-client': config.nextClientUrl,
    'fastify-api': config.fastifyApiUrl,
    'nest-api': config.nestApiUrl,
  };
  const wanted = new Set<DemoApp>(['provider', ...(options.apps ?? DEMO_APPS)]);
  for (const app of wanted) {
    if (app === 'next-client' ? !nextScript(options.nextMode) : nodeEntry(app) === null) {
      throw new Error(`${app} cannot be started yet (no entry file or "${options.nextMode}" script); pass apps: [...] without it`);
    }
  }

  await runSeed(env, options.redirectUris ?? []);
  const credentials = JSON.parse(readFileSync(config.credentialsFile, 'utf8')) as DemoCredentials;

  const children: Child[] = [];
  const stop = async () => {
    await Promise.all(children.map(killGroup));
  };
  try {
    const provider = launch('provider', process.execPath, [...NODE_ARGS, nodeEntry('provider')!], env, log);
    children.push(provider);
    await waitUntilAnswering(provider, `${urls.provider}/health`, options.readyTimeoutMs ?? 60_000);
    const others: Promise<void>[] = [];
    for (const app of ['fastify-api', 'nest-api'] as const) {
      if (!wanted.has(app)) continue;
      const child = launch(app, process.execPath, [...NODE_ARGS, nodeEntry(app)!], env, log);
      children.push(child);
      others.push(waitUntilAnswering(child, urls[app], options.readyTimeoutMs ?? 60_000));
    }
    if (wanted.has('next-client')) {
      const child = launch('next-client', 'pnpm', ['--filter', '@auth-demo/next-client', options.nextMode], { ...env, PORT: env.NEXT_CLIENT_PORT }, log);
      children.push(child);
      others.push(waitUntilAnswering(child, urls['next-client'], options.readyTimeoutMs ?? (options.nextMode === 'dev' ? 180_000 : 60_000)));
    }
    await Promise.all(others);
  } catch (err) {
    await stop();
    throw err;
  }
  const started = Object.fromEntries([...wanted].map((app) => [app, urls[app]]));
  if (options.printTable !== false) log(demoTable(started, credentials, config.credentialsFile));
  return { urls, credentials, credentialsFile: config.credentialsFile, stop };
}
