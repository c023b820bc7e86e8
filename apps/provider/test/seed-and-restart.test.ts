/** The seed: JSON shape, idempotence (keeps what works, replaces what does not), extra redirect URIs; restart keeps data. */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSeedArgs, seed } from '../src/seed.js';
import { startProvider } from '../src/server.js';
import { Browser, inputValue, signIn, testConfig, tempDataDir } from './harness.js';

const quiet = { warn() {}, error() {} };
let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

describe('seed', () => {
  it('writes and returns the documented JSON; a second run keeps every value and adds redirect URIs', async () => {
    const data = tempDataDir();
    cleanup.push(data.remove);
    const config = await testConfig(data.dir);
    const first = await seed({ config });
    expect(JSON.parse(readFileSync(config.credentialsFile, 'utf8'))).toEqual(first);
    expect(first).toMatchObject({
      issuer: config.providerUrl,
      user: { username: 'demo@example.com', userId: 'usr_demo', businessId: 'biz_demo', password: expect.any(String) },
      confidentialClient: {
        clientId: expect.any(String),
        clientSecret: expect.stringMatching(/^cs_/),
        grantTypes: ['authorization_code', 'refresh_token', 'client_credentials', 'password'],
      },
      publicClient: { clientId: expect.any(String) },
      nextClient: { clientId: expect.any(String), clientSecret: expect.stringMatching(/^cs_/), redirectUri: 'http://localhost:4001/auth/callback' },
      apiKey: { key: expect.stringMatching(/^ak_/), businessId: 'biz_demo', userId: 'usr_demo' },
      legacyApiKey: { key: expect.stringMatching(/^ak_/) },
      personalToken: expect.stringMatching(/^pat_/),
      secret: expect.stringMatching(/^sk_/),
      machineClients: { fastifyApi: { clientSecret: expect.stringMatching(/^cs_/) }, nestApi: { clientId: expect.any(String) } },
    });
    expect('clientSecret' in first.publicClient).toBe(false);

    const extra = 'http://127.0.0.1:5555/cb';
    const second = await seed({ config, redirectUris: [extra] });
    expect({ ...second, confidentialClient: { ...second.confidentialClient, redirectUris: [] }, publicClient: { ...second.publicClient, redirectUris: [] } }).toEqual({
      ...first,
      confidentialClient: { ...first.confidentialClient, redirectUris: [] },
      publicClient: { ...first.publicClient, redirectUris: [] },
    });
    expect(second.confidentialClient.redirectUris).toContain(extra);
    expect(second.publicClient.redirectUris).toContain(extra);
    expect(second.confidentialClient.redirectUris).toContain('http://localhost:4001/auth/callback');
  });

  it('replaces only what stopped working (here: a revoked personal token)', async () => {
    const data = tempDataDir();
    cleanup.push(data.remove);
    const config = await testConfig(data.dir);
    const first = await seed({ config });
    const provider = await startProvider({ config, logger: quiet });
    const pat = (await provider.auth.personalTokens.list({ userId: 'usr_demo' }))[0]!;
    await provider.auth.personalTokens.revoke(pat.id);
    await provider.stop();
    const second = await seed({ config });
    expect(second.personalToken).not.toBe(first.personalToken);
    expect(second.apiKey).toEqual(first.apiKey);
    expect(second.user.password).toBe(first.user.password);
  });

  it('parses --redirect-uri and refuses anything else', () => {
    expect(parseSeedArgs(['--redirect-uri', 'http://a/cb', '--redirect-uri=http://b/cb', '--'])).toEqual({ redirectUris: ['http://a/cb', 'http://b/cb'] });
    expect(() => parseSeedArgs(['--nope'])).toThrow(/Unknown argument/);
    expect(() => parseSeedArgs(['--redirect-uri'])).toThrow(/needs a value/);
  });

  it('an invalid redirect URI fails the seed with the reason', async () => {
    const data = tempDataDir();
    cleanup.push(data.remove);
    await expect(seed({ config: await testConfig(data.dir), redirectUris: ['not a uri'] })).rejects.toMatchObject({ error: expect.any(String) });
  });
});

describe('restart', () => {
  it('keeps credentials, sessions and campaigns in the SQLite file', async () => {
    const data = tempDataDir();
    cleanup.push(data.remove);
    const config = await testConfig(data.dir);
    const creds = await seed({ config });
    let provider = await startProvider({ config, logger: quiet });
    const b = new Browser();
    await signIn(b, { url: config.providerUrl, creds } as never);
    const page = await (await b.fetch(`${config.providerUrl}/settings`)).text();
    const created = await b.postForm(`${config.providerUrl}/settings/personal-tokens`, { _csrf: inputValue(page, '_csrf'), name: 'survives', scopes: ['campaigns:write'] });
    const pat = /data-testid="new-secret">([^<]+)</.exec(await created.text())![1]!;
    const post = await fetch(`${config.providerUrl}/v1/campaigns`, {
      method: 'POST',
      headers: { authorization: `Bearer ${pat}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Persisted' }),
    });
    expect(post.status).toBe(201);
    await provider.stop();
    // Let the client notice the closed keep-alive sockets before the next request.
    await new Promise((resolve) => setTimeout(resolve, 100));

    provider = await startProvider({ config, logger: quiet });
    cleanup.push(() => provider.stop());
    expect((await b.fetch(`${config.providerUrl}/v1/me`)).status).toBe(200); // the session cookie still opens
    const list = await fetch(`${config.providerUrl}/v1/campaigns`, { headers: { authorization: `Bearer ${creds.personalToken}` } });
    expect(((await list.json()) as { items: { name: string }[] }).items.map((c) => c.name)).toContain('Persisted');
    const me = await fetch(`${config.providerUrl}/v1/me`, { headers: { authorization: `Bearer ${pat}` } });
    expect(me.status).toBe(200);
  });
});
