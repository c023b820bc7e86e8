import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, SCHEMES } from '../src/run.js';
import { startMiniProvider, USER } from './mini-provider.js';

type Provider = Awaited<ReturnType<typeof startMiniProvider>>;

async function cli(args: string[], env: Record<string, string | undefined>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { env, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('auth-demo-cli', () => {
  let provider: Provider;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    provider = await startMiniProvider();
    dir = mkdtempSync(path.join(tmpdir(), 'auth-demo-cli-'));
    writeFileSync(path.join(dir, 'demo-credentials.json'), JSON.stringify(provider.credentials));
    env = { DATA_DIR: dir };
  });
  afterAll(async () => {
    await provider?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const expectedMethod: Record<string, string> = {
    'api-key': 'api_key',
    'legacy-key': 'legacy_api_key',
    pat: 'personal_token',
    secret: 'secret',
    'client-credentials': 'access_token',
    password: 'access_token',
  };
  it.each(SCHEMES.map((s) => [s]))('%s: reads demo-credentials.json, prints status and JSON, exits 0', async (scheme) => {
    const result = await cli([scheme], env);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toContain(`GET ${provider.issuer}/v1/me -> 200`);
    const json = JSON.parse(result.out.slice(result.out.indexOf('{')));
    expect(json.method).toBe(expectedMethod[scheme]);
    if (scheme === 'password') expect(json.userId).toBe(USER.userId);
    if (scheme === 'client-credentials') expect(json.userId).toBeNull();
  });

  it('flags override the file: a wrong API key gets 401, the challenge and error are printed, exit 1', async () => {
    const result = await cli(['api-key', '/v1/me', '--key', 'ak_wrong'], env);
    expect(result.code).toBe(1);
    expect(result.out).toContain('-> 401');
    expect(result.out).toMatch(/WWW-Authenticate: /);
    expect(result.err).toMatch(/^error: invalid_token/);
  });

  it('a revoked API key gets 401', async () => {
    const revoked = await provider.auth.apiKeys.create({ name: 'r', userId: USER.userId, businessId: USER.businessId, scopes: [] });
    expect((await cli(['api-key', '--key', revoked.secret], env)).code).toBe(0);
    await provider.auth.apiKeys.revoke(revoked.credential.id);
    const result = await cli(['api-key', '--key', revoked.secret], env);
    expect(result.code).toBe(1);
    expect(result.err).toContain('error: invalid_token');
  });

  it('env vars override the file; a wrong password fails at the token endpoint with the OAuth error', async () => {
    const result = await cli(['password'], { ...env, AUTH_DEMO_PASSWORD: 'wrong password' });
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^error: invalid_grant.*token endpoint, HTTP 400/);
  });

  it('usage errors exit 2', async () => {
    expect((await cli([], env)).code).toBe(2);
    expect((await cli(['bogus'], env)).err).toContain('Unknown scheme "bogus"');
    expect((await cli(['pat', '--nope'], env)).code).toBe(2);
    expect((await cli(['pat'], { DATA_DIR: path.join(dir, 'missing') })).err).toContain('Missing personal access token');
    expect((await cli(['--help'], env)).code).toBe(0);
  });

  it('runs as a process: the entry file, exit codes', { timeout: 60_000 }, async () => {
    const entry = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
    const spawnCli = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = spawn(process.execPath, ['--conditions=@auth/source', '--import', 'tsx', entry, ...args], {
          env: { ...process.env, ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        child.stdout.on('data', (d) => (stdout += d));
        const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve({ code, stdout });
        });
      });
    const ok = await spawnCli(['pat']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('-> 200');
    const denied = await spawnCli(['pat', '--token', 'pat_wrong']);
    expect(denied.code).toBe(1);
  });
});
