/** The API accepts every scheme and refuses bad ones in the RFC 6750 format. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, basic, type Harness, signIn, startHarness, token } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const me = (headers: Record<string, string>) => fetch(`${h.url}/v1/me`, { headers });
const triple = () => ({ 'x-api-key': h.creds.apiKey.key, 'x-business-id': h.creds.apiKey.businessId, 'x-user-id': h.creds.apiKey.userId });

async function expectChallenge(res: Response, status: number, error: string | null) {
  expect(res.status).toBe(status);
  expect(res.headers.get('cache-control')).toBe('no-store');
  const body = (await res.json()) as { error?: string };
  if (error) expect(body.error).toBe(error);
  if (status === 401) expect(res.headers.get('www-authenticate')).toMatch(/realm="provider"/);
  return body;
}

describe('GET /v1/me accepts every scheme', () => {
  it('API key with the three headers (seed 000)', async () => {
    const res = await me(triple());
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ method: 'api_key', userId: 'usr_demo', businessId: 'biz_demo', user: { username: 'demo@example.com' } });
  });

  it('legacy X-API-Key alone (seed 002)', async () => {
    const res = await me({ 'X-API-Key': h.creds.legacyApiKey.key });
    expect(await res.json()).toMatchObject({ method: 'legacy_api_key', userId: 'usr_demo' });
  });

  it('Bearer personal token (seeds 003, 004)', async () => {
    const res = await me({ authorization: `Bearer ${h.creds.personalToken}` });
    expect(await res.json()).toMatchObject({ method: 'personal_token', userId: 'usr_demo' });
  });

  it('Secret (seed 003)', async () => {
    const res = await me({ authorization: `Secret ${h.creds.secret}` });
    expect(await res.json()).toMatchObject({ method: 'secret', userId: 'usr_demo' });
  });

  it('Bearer OAuth access tokens: client credentials and the password grant with Basic (seed 001)', async () => {
    const m = h.creds.machineClients.fastifyApi;
    const cc = await token(h, { grant_type: 'client_credentials', scope: 'campaigns:read' }, basic(m.clientId, m.clientSecret));
    const ccToken = ((await cc.json()) as { access_token: string }).access_token;
    expect(await (await me({ authorization: `Bearer ${ccToken}` })).json()).toMatchObject({ method: 'access_token', clientId: m.clientId, userId: null });
    const campaigns = await fetch(`${h.url}/v1/campaigns`, { headers: { authorization: `Bearer ${ccToken}` } });
    expect(((await campaigns.json()) as { items: unknown[] }).items.length).toBeGreaterThanOrEqual(2);

    const c = h.creds.confidentialClient;
    const pw = await token(h, { grant_type: 'password', username: h.creds.user.username, password: h.creds.user.password }, basic(c.clientId, c.clientSecret));
    expect(pw.status).toBe(200);
    const pwToken = ((await pw.json()) as { access_token: string }).access_token;
    expect(await (await me({ authorization: `Bearer ${pwToken}` })).json()).toMatchObject({ method: 'access_token', userId: 'usr_demo', clientId: c.clientId });
    const wrong = await token(h, { grant_type: 'password', username: h.creds.user.username, password: 'nope' }, basic(c.clientId, c.clientSecret));
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('the session cookie, with CSRF on unsafe methods', async () => {
    const b = new Browser();
    expect((await signIn(b, h)).status).toBe(303);
    expect(await (await b.fetch(`${h.url}/v1/me`)).json()).toMatchObject({ method: 'cookie', userId: 'usr_demo' });
    const post = (headers: Record<string, string>) =>
      b.fetch(`${h.url}/v1/campaigns`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ name: 'From the browser' }) });
    await expectChallenge(await post({}), 403, null);
    const settings = await (await b.fetch(`${h.url}/settings`)).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(settings)![1]!;
    expect((await post({ 'x-csrf-token': csrf })).status).toBe(201);
  });
});

describe('campaigns and scopes', () => {
  it('lists with campaigns:read and creates with campaigns:write', async () => {
    const list = await fetch(`${h.url}/v1/campaigns`, { headers: triple() });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { items: { name: string }[] }).items.map((c) => c.name)).toContain('Spring launch');
    const created = await fetch(`${h.url}/v1/campaigns`, {
      method: 'POST',
      headers: { ...triple(), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Autumn <sale>' }),
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ name: 'Autumn <sale>', businessId: 'biz_demo' });
  });

  it('403 insufficient_scope with the scope in the challenge', async () => {
    // The Secret credential has campaigns:read and profile only, and the legacy key the same.
    const res = await fetch(`${h.url}/v1/campaigns`, {
      method: 'POST',
      headers: { 'x-api-key': h.creds.legacyApiKey.key, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x' }),
    });
    await expectChallenge(res, 403, 'insufficient_scope');
    expect(res.headers.get('www-authenticate')).toMatch(/scope="campaigns:write"/);
  });

  it('400 for a bad body, in the standard format', async () => {
    for (const body of ['{"name":""}', '{"name":42}', '{bad json']) {
      const res = await fetch(`${h.url}/v1/campaigns`, { method: 'POST', headers: { ...triple(), 'content-type': 'application/json' }, body });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe('invalid_request');
    }
  });
});

describe('bad credentials are refused (RFC 6750)', () => {
  it('none: 401 with a bare challenge', async () => {
    const res = await me({});
    await expectChallenge(res, 401, null);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="provider"');
  });

  it('junk, unknown and malformed tokens: 401 invalid_token', async () => {
    const fake = `${h.creds.personalToken.slice(0, -4)}AAAA`;
    for (const authorization of ['Bearer junk', `Bearer ${fake}`, 'Basic dXNlcjpwYXNz', `Secret ${h.creds.personalToken}`, 'Bearer at_nope']) {
      await expectChallenge(await me({ authorization }), 401, 'invalid_token');
    }
  });

  it('an API key with the wrong business or user, or without the ids: one identical answer', async () => {
    const answers = await Promise.all(
      [
        { ...triple(), 'x-business-id': 'biz_other' },
        { ...triple(), 'x-user-id': 'usr_other' },
        { 'x-api-key': h.creds.apiKey.key, 'x-business-id': 'biz_demo' },
      ].map(async (headers) => {
        const res = await me(headers);
        return [res.status, res.headers.get('www-authenticate'), await res.text()];
      }),
    );
    expect(answers[0]![0]).toBe(401);
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
  });

  it('two credentials at once: 400 invalid_request', async () => {
    await expectChallenge(await me({ ...triple(), authorization: `Bearer ${h.creds.personalToken}` }), 400, 'invalid_request');
  });

  it('Secret is accepted only where allowed (/v1/me), not on /v1/campaigns', async () => {
    const res = await fetch(`${h.url}/v1/campaigns`, { headers: { authorization: `Secret ${h.creds.secret}` } });
    await expectChallenge(res, 401, 'invalid_token');
  });

  it('unknown routes are a JSON 404', async () => {
    const res = await fetch(`${h.url}/v1/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found' });
  });
});
