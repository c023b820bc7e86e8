/**
 * The whole demo system in a real browser (Debian chromium driven by playwright-core): `next build` of
 * next-client, startDemo (provider, next-client with `next start`, fastify-api, nest-api) on free ports
 * over a temporary DATA_DIR, then
 *  1. sign in to next-client through the provider's login and consent pages (form_post callback, a real
 *     cross-site POST from 127.0.0.1 to localhost), see the data page, let the access token expire and
 *     reload (data still shows, exactly one refresh), sign out (the refresh token is dead);
 *  2. create an API key in the provider's developer settings, use it from the cli (200), revoke it in the
 *     page, the cli gets 401;
 *  3. the cli against the running provider with every machine scheme.
 * Screenshots of each step go to apps/e2e/artifacts/.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDemo, startDemo } from '../../../scripts/demo/start-demo.js';
import { ARTIFACTS, buildNextClient, freePort, refreshTokensOf, runCli, sleep } from './support.js';

/** Access tokens live 20 s in this run, so the test can watch one expire. */
const ACCESS_TOKEN_TTL_MS = 20_000;

let demo: RunningDemo;
let browser: Browser;
let dataDir: string;
const timings: Record<string, number> = {};
const output: string[] = [];

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  let t = Date.now();
  const build = await buildNextClient();
  timings.nextBuildMs = Date.now() - t;
  expect(build.code, build.stdout.slice(-2000) + build.stderr.slice(-2000)).toBe(0);

  dataDir = mkdtempSync(path.join(tmpdir(), 'auth-demo-e2e-'));
  const [provider, nextClient, fastifyApi, nestApi] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  t = Date.now();
  demo = await startDemo({
    nextMode: 'start',
    dataDir,
    ports: { provider, nextClient, fastifyApi, nestApi },
    env: { PROVIDER_ACCESS_TOKEN_TTL: `${ACCESS_TOKEN_TTL_MS / 1000}s`, NEXT_CLIENT_E2E_HOOKS: '1', NEXT_TELEMETRY_DISABLED: '1' },
    log: (line) => {
      output.push(line);
      if (output.length > 200) output.shift();
    },
    printTable: false,
  });
  timings.startDemoMs = Date.now() - t;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  console.log(`e2e timings: ${JSON.stringify(timings)}`);
});

const cliEnv = () => ({ DATA_DIR: dataDir, PROVIDER_URL: demo.urls.provider });

async function hooks(page: Page): Promise<{ tokenRequests: Record<string, number>; signedIn: boolean; refreshToken: string | null }> {
  const res = await page.request.get(`${demo.urls['next-client']}/e2e-hooks`);
  expect(res.status()).toBe(200);
  return res.json();
}

/** Fill and submit the provider's login page. */
async function providerLogin(page: Page): Promise<void> {
  await page.fill('#username', demo.credentials.user.username);
  await page.fill('#password', demo.credentials.user.password);
  await Promise.all([page.waitForNavigation(), page.click('#login-form button[type=submit]')]);
}

describe('next-client: sign in through the provider, transparent refresh, sign out', () => {
  it('signs in with form_post, refreshes an expired token once, and sign-out kills the refresh token', async () => {
    const next = demo.urls['next-client'];
    const provider = demo.urls.provider;
    const nextClient = demo.credentials.nextClient;
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const callbacks: string[] = [];
    page.on('request', (r) => {
      if (r.url().startsWith(`${next}/auth/callback`)) callbacks.push(r.method());
    });

    await page.goto(next);
    await page.waitForSelector('[data-testid=signed-out]');
    await shot(page, '01-next-client-signed-out');

    await page.click('[data-testid=sign-in]');
    await page.waitForURL(`${provider}/login**`);
    await page.fill('#username', demo.credentials.user.username);
    await shot(page, '02-provider-login');
    await page.fill('#password', demo.credentials.user.password);
    await Promise.all([page.waitForURL(`${provider}/consent**`), page.click('#login-form button[type=submit]')]);
    await expect(page.textContent('[data-testid=consent-scopes]')).resolves.toContain('campaigns:read');
    await shot(page, '03-provider-consent');

    await Promise.all([page.waitForURL(`${next}/dashboard`), page.click('#approve')]);
    const signedInAt = Date.now();
    // The code came back as a cross-site form POST (response_mode form_post).
    expect(callbacks).toEqual(['POST']);
    const me = JSON.parse((await page.textContent('[data-testid=me]'))!);
    expect(me).toMatchObject({ userId: demo.credentials.user.userId, method: 'access_token', clientId: nextClient.clientId });
    expect(await page.locator('[data-testid=campaign]').count()).toBeGreaterThan(0);
    await shot(page, '04-dashboard');

    const before = await hooks(page);
    expect(before.tokenRequests).toEqual({ authorization_code: 1 });
    expect(before.refreshToken).toEqual(expect.any(String));
    const familyBefore = refreshTokensOf(path.join(dataDir, 'provider.db'), nextClient.clientId);
    expect(familyBefore).toHaveLength(1);
    expect(familyBefore[0]).toMatchObject({ rotated_at: null, revoked_at: null });

    // Let the access token expire (the provider issues 20 s tokens in this run), then reload.
    const wait = signedInAt + ACCESS_TOKEN_TTL_MS + 1_500 - Date.now();
    if (wait > 0) await sleep(wait);
    await page.reload();
    const meAgain = JSON.parse((await page.textContent('[data-testid=me]'))!);
    expect(meAgain).toMatchObject({ userId: demo.credentials.user.userId, method: 'access_token' });
    expect(await page.locator('[data-testid=campaign]').count()).toBeGreaterThan(0);
    await shot(page, '05-dashboard-after-refresh');

    // Exactly one refresh for the two API calls of the render: counted by the client and in the store.
    const after = await hooks(page);
    expect(after.tokenRequests).toEqual({ authorization_code: 1, refresh_token: 1 });
    expect(after.refreshToken).not.toBe(before.refreshToken);
    const familyAfter = refreshTokensOf(path.join(dataDir, 'provider.db'), nextClient.clientId);
    expect(familyAfter).toHaveLength(2);
    expect(familyAfter.filter((t) => t.rotated_at !== null)).toHaveLength(1);
    expect(new Set(familyAfter.map((t) => t.family_id)).size).toBe(1);

    await Promise.all([page.waitForURL(`${next}/`), page.click('[data-testid=sign-out]')]);
    await page.waitForSelector('[data-testid=signed-out]');
    await shot(page, '06-signed-out');
    expect((await hooks(page)).signedIn).toBe(false);
    // Revoked at the provider: the newest refresh token is refused at the token endpoint.
    const basic = Buffer.from(`${encodeURIComponent(nextClient.clientId)}:${encodeURIComponent(nextClient.clientSecret)}`).toString('base64');
    const refresh = await fetch(demo.credentials.endpoints.token, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: after.refreshToken! }),
    });
    expect(refresh.status).toBe(400);
    expect(await refresh.json()).toMatchObject({ error: 'invalid_grant' });
    expect(refreshTokensOf(path.join(dataDir, 'provider.db'), nextClient.clientId).every((t) => t.revoked_at !== null)).toBe(true);
    await context.close();
  });
});

describe('provider developer settings + cli', () => {
  it('creates an API key in the page, the cli uses it (200), revokes it in the page, the cli gets 401', async () => {
    const provider = demo.urls.provider;
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`${provider}/settings`);
    await page.waitForURL(`${provider}/login**`);
    await providerLogin(page);
    await page.waitForURL(`${provider}/settings`);
    await shot(page, '07-provider-settings');

    await page.fill('#api-key-name', 'e2e cli key');
    await Promise.all([page.waitForNavigation(), page.click('#create-api-key')]);
    const key = (await page.textContent('[data-testid=new-secret]'))!.trim();
    const id = (await page.textContent('[data-testid=new-credential-id]'))!.trim();
    const businessId = (await page.textContent('[data-testid=new-secret-business-id]'))!.trim();
    const userId = (await page.textContent('[data-testid=new-secret-user-id]'))!.trim();
    expect(key.length).toBeGreaterThan(20);
    await shot(page, '08-api-key-created');

    const args = ['api-key', '/v1/campaigns', '--key', key, '--business-id', businessId, '--user-id', userId];
    const ok = await runCli(args, cliEnv());
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`GET ${provider}/v1/campaigns -> 200`);

    await page.goto(`${provider}/settings`);
    await expect(page.locator(`[data-testid="api-keys-${id}"]`).count()).resolves.toBe(1);
    await Promise.all([page.waitForNavigation(), page.click(`[data-testid="revoke-${id}"]`)]);
    await expect(page.locator(`[data-testid="api-keys-${id}"]`).count()).resolves.toBe(0);
    await shot(page, '09-api-key-revoked');

    const denied = await runCli(args, cliEnv());
    expect(denied.code).toBe(1);
    expect(denied.stdout).toContain(`GET ${provider}/v1/campaigns -> 401`);
    expect(denied.stdout).toMatch(/WWW-Authenticate: .*error="invalid_token"/);
    expect(denied.stderr).toMatch(/^error: invalid_token/);
    await context.close();
  });
});

describe('cli smoke test against the running provider', () => {
  it('succeeds with every machine scheme', async () => {
    const schemes = ['api-key', 'legacy-key', 'pat', 'secret', 'client-credentials', 'password'];
    for (const scheme of schemes) {
      const result = await runCli([scheme, '/v1/me'], cliEnv());
      expect(result.code, `${scheme}: ${result.stderr}`).toBe(0);
      expect(result.stdout).toContain(`GET ${demo.urls.provider}/v1/me -> 200`);
    }
  });

  it('reaches fastify-api and nest-api with a provider token (each hop with its own machine token)', async () => {
    const { clientId, clientSecret } = demo.credentials.confidentialClient;
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
    const token = await fetch(demo.credentials.endpoints.token, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'campaigns:read' }),
    }).then((r) => r.json() as Promise<{ access_token: string }>);
    const insights = await fetch(`${demo.urls['nest-api']}/insights`, { headers: { authorization: `Bearer ${token.access_token}` } });
    expect(insights.status).toBe(200);
    expect(await insights.json()).toMatchObject({
      service: 'nest-api',
      upstream: { status: 200, reportedBy: 'fastify-api', upstreamCaller: { clientId: demo.credentials.machineClients.nestApi.clientId } },
    });
    expect((await fetch(`${demo.urls['fastify-api']}/reports`)).status).toBe(401);
  });
});
