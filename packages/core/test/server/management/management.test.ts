import { beforeEach, describe, expect, it } from 'vitest';
import { errorToResponse } from '../../../src/errors.js';
import { createAuthServer, type AuthServer } from '../../../src/server/auth-server.js';
import { createManagementHandler, type ManagementHandler } from '../../../src/server/management/index.js';
import type { Principal } from '../../../src/server/principal.js';
import { memoryAuthStore } from '../../../src/store/memory-auth-store.js';

const ORIGIN = 'http://127.0.0.1:4000';
let auth: AuthServer;
let manage: ManagementHandler;

beforeEach(() => {
  auth = createAuthServer({
    issuer: ORIGIN,
    store: memoryAuthStore(),
    secrets: ['management-test-secret-0123456789-abcdef'],
    methods: { apiKey: true, bearer: true, cookie: true, secret: true },
    cookies: { secure: false },
  });
  manage = createManagementHandler(auth);
});

/** What an adapter does: verify (with httpMethod, so cookies need a CSRF proof), then hand over. */
async function serve(request: Request, body?: unknown): Promise<Response> {
  let principal: Principal;
  try {
    principal = await auth.verify((name) => request.headers.get(name) ?? undefined, { httpMethod: request.method });
  } catch (err) {
    return errorToResponse(err);
  }
  return manage.handle(request, body === undefined ? { principal } : { principal, body });
}

/** A browser session for a user: cookie + CSRF token. */
function browser(userId: string, businessId: string | null = 'b-1', scopes = ['read', 'write']) {
  const issued = auth.sessions.issue({ userId, businessId, scopes });
  const cookie = `${auth.sessions.name}=${issued.value}`;
  return (method: string, path: string, json?: unknown, extra: Record<string, string> = {}) =>
    serve(
      new Request(ORIGIN + path, {
        method,
        headers: {
          cookie,
          ...(method === 'GET' ? {} : { 'x-csrf-token': issued.csrfToken }),
          ...(json === undefined ? {} : { 'content-type': 'application/json' }),
          ...extra,
        },
        body: json === undefined ? undefined : typeof json === 'string' ? json : JSON.stringify(json),
      }),
    );
}

/** A caller using a bearer credential (personal token). */
function bearer(token: string) {
  return (method: string, path: string, json?: unknown) =>
    serve(
      new Request(ORIGIN + path, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
        body: json === undefined ? undefined : JSON.stringify(json),
      }),
    );
}

const apiKeyHeaders = (key: string, userId = 'u-alice', businessId = 'b-1') => {
  const h: Record<string, string> = { 'x-api-key': key, 'x-user-id': userId, 'x-business-id': businessId };
  return (name: string) => h[name];
};

describe('API keys', () => {
  it('create shows the secret once; list/get never do; the key works until regenerated or revoked', async () => {
    const alice = browser('u-alice');
    const created = await alice('POST', '/account/api-keys', { name: 'CRM sync', scopes: ['read'], expiresIn: '90d' });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const { secret, credential } = await created.json();
    expect(credential).toMatchObject({ kind: 'api_key', userId: 'u-alice', businessId: 'b-1', scopes: ['read'] });
    expect(credential.hash).toBeUndefined();
    await expect(auth.verify(apiKeyHeaders(secret))).resolves.toMatchObject({ method: 'api_key', userId: 'u-alice' });

    const listText = await (await alice('GET', '/account/api-keys')).text();
    expect(JSON.parse(listText).items.map((c: { id: string }) => c.id)).toEqual([credential.id]);
    expect(listText).not.toContain(secret);
    expect(listText).not.toContain('"hash"');
    const getText = await (await alice('GET', `/account/api-keys/${credential.id}`)).text();
    expect(JSON.parse(getText).credential.id).toBe(credential.id);
    expect(getText).not.toContain(secret);

    const regenerated = await alice('POST', `/account/api-keys/${credential.id}/regenerate`);
    expect(regenerated.status).toBe(201);
    const next = await regenerated.json();
    expect(next.secret).not.toBe(secret);
    await expect(auth.verify(apiKeyHeaders(secret))).rejects.toMatchObject({ status: 401 });
    await expect(auth.verify(apiKeyHeaders(next.secret))).resolves.toMatchObject({ userId: 'u-alice' });

    const revoked = await alice('DELETE', `/account/api-keys/${next.credential.id}`);
    expect(revoked.status).toBe(200);
    expect((await revoked.json()).credential.revokedAt).toEqual(expect.any(Number));
    await expect(auth.verify(apiKeyHeaders(next.secret))).rejects.toMatchObject({ status: 401 });
    expect((await (await alice('GET', '/account/api-keys')).json()).items).toEqual([]);
    expect((await (await alice('GET', '/account/api-keys?includeRevoked=true')).json()).items).toHaveLength(2);
  });

  it('another user sees a 404 for every id that is not theirs, identical to an unknown id', async () => {
    const alice = browser('u-alice');
    const bob = browser('u-bob');
    const { credential } = await (await alice('POST', '/account/api-keys', { name: 'k', scopes: ['read'] })).json();
    const unknown = await bob('GET', '/account/api-keys/nope');
    const answers = await Promise.all([
      bob('GET', `/account/api-keys/${credential.id}`),
      bob('DELETE', `/account/api-keys/${credential.id}`),
      bob('POST', `/account/api-keys/${credential.id}/regenerate`),
      // Another area's id is not found either.
      bob('GET', `/account/personal-tokens/${credential.id}`),
    ]);
    const unknownBody = await unknown.text();
    for (const res of [unknown, ...answers]) expect(res.status).toBe(404);
    for (const res of answers.slice(0, 3)) expect(await res.text()).toBe(unknownBody);
    expect((await (await bob('GET', '/account/api-keys')).json()).items).toEqual([]);
    expect((await (await alice('GET', `/account/api-keys/${credential.id}`)).json()).credential.revokedAt).toBeNull();
  });

  it('validation failures are 400 invalid_request JSON, never a 500', async () => {
    const alice = browser('u-alice');
    const cases: unknown[] = [
      { scopes: ['read'] },
      { name: 'x', scopes: 'read' },
      { name: 'x', scopes: ['read'], expiresIn: 'soon' },
      { name: 'x', scopes: ['read'], expiresAt: '2001-01-01T00:00:00Z' },
      { name: 'x', scopes: ['read'], userId: 'u-bob' },
      { name: 'x', scopes: ['read'], businessId: 'b-2' },
      { name: 'x', scopes: ['admin'] },
      '{"name":',
      '[1,2]',
    ];
    for (const body of cases) {
      const res = await alice('POST', '/account/api-keys', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json()).error).toBe('invalid_request');
    }
    const noBusiness = await browser('u-carol', null)('POST', '/account/api-keys', { name: 'x', scopes: ['read'] });
    expect(noBusiness.status).toBe(400);
    const text = await alice('POST', '/account/api-keys', 'name=x', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
  });

  it('accepts a body the framework already parsed', async () => {
    const issued = auth.sessions.issue({ userId: 'u-alice', businessId: 'b-1', scopes: ['read'] });
    const request = new Request(`${ORIGIN}/account/api-keys`, {
      method: 'POST',
      headers: { cookie: `${auth.sessions.name}=${issued.value}`, 'x-csrf-token': issued.csrfToken },
    });
    const res = await serve(request, { name: 'parsed', scopes: ['read'] });
    expect(res.status).toBe(201);
    expect((await res.json()).credential.name).toBe('parsed');
  });
});

describe('who may manage', () => {
  it('a personal token with credentials:manage may; without it, or an API key, gets 403', async () => {
    const alice = browser('u-alice', 'b-1', ['read', 'credentials:manage']);
    const strong = await (await alice('POST', '/account/personal-tokens', { name: 'cli', scopes: ['read', 'credentials:manage'] })).json();
    const weak = await (await alice('POST', '/account/personal-tokens', { name: 'ro', scopes: ['read'] })).json();
    const key = await (await alice('POST', '/account/api-keys', { name: 'k', scopes: ['read', 'credentials:manage'] })).json();

    const listed = await bearer(strong.secret)('GET', '/account/personal-tokens');
    expect(listed.status).toBe(200);
    expect((await listed.json()).items).toHaveLength(2);
    const viaPat = await bearer(strong.secret)('POST', '/account/secrets', { name: 'deploy', scopes: ['read'] });
    expect(viaPat.status).toBe(201);

    const denied = await bearer(weak.secret)('GET', '/account/personal-tokens');
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ error: 'insufficient_scope', scope: 'credentials:manage' });
    const viaKey = await manage.handle(new Request(`${ORIGIN}/account/api-keys`), {
      principal: await auth.verify(apiKeyHeaders(key.secret)),
    });
    expect(viaKey.status).toBe(403);
    // A token cannot mint a credential stronger than itself.
    const escalate = await bearer(strong.secret)('POST', '/account/personal-tokens', { name: 'x', scopes: ['write'] });
    expect(escalate.status).toBe(400);
  });

  it('cookie callers need the CSRF proof verify enforces; a cross-site request is refused even with a principal', async () => {
    const issued = auth.sessions.issue({ userId: 'u-alice', businessId: 'b-1', scopes: ['read'] });
    const cookie = `${auth.sessions.name}=${issued.value}`;
    const post = (headers: Record<string, string>) =>
      new Request(`${ORIGIN}/account/api-keys`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ name: 'k', scopes: ['read'] }),
      });
    expect((await serve(post({}))).status).toBe(403);
    const principal = await auth.verify((n) => (n === 'cookie' ? cookie : undefined), { httpMethod: 'GET' });
    const crossSite = await manage.handle(post({ 'sec-fetch-site': 'cross-site' }), { principal });
    expect(crossSite.status).toBe(403);
    expect((await manage.handle(post({}), { principal: undefined as unknown as Principal })).status).toBe(403);
    expect((await auth.apiKeys.list({ userId: 'u-alice' })).length).toBe(0);
  });
});

describe('personal tokens and secrets', () => {
  it('a personal token works as Bearer, regenerates and revokes', async () => {
    const alice = browser('u-alice');
    const { secret, credential } = await (await alice('POST', '/account/personal-tokens', { name: 'laptop', scopes: ['read'] })).json();
    expect(credential.businessId).toBeNull();
    await expect(auth.verify((n) => (n === 'authorization' ? `Bearer ${secret}` : undefined))).resolves.toMatchObject({ method: 'personal_token' });
    const next = await (await alice('POST', `/account/personal-tokens/${credential.id}/regenerate`)).json();
    await expect(auth.verify((n) => (n === 'authorization' ? `Bearer ${secret}` : undefined))).rejects.toMatchObject({ status: 401 });
    expect((await alice('DELETE', `/account/personal-tokens/${next.credential.id}`)).status).toBe(200);
    await expect(auth.verify((n) => (n === 'authorization' ? `Bearer ${next.secret}` : undefined))).rejects.toMatchObject({ status: 401 });
    const bound = await alice('POST', '/account/personal-tokens', { name: 'b', scopes: ['read'], businessId: 'b-1' });
    expect((await bound.json()).credential.businessId).toBe('b-1');
  });

  it('a Secret regenerates with overlap; binding it to an app needs one of your own apps', async () => {
    const alice = browser('u-alice');
    const bob = browser('u-bob');
    const { secret, credential } = await (await alice('POST', '/account/secrets', { name: 'deploy', scopes: ['read'] })).json();
    const next = await alice('POST', `/account/secrets/${credential.id}/regenerate`, { overlap: '1h' });
    expect(next.status).toBe(201);
    const fresh = (await next.json()).secret;
    const asSecret = (s: string) => (n: string) => (n === 'authorization' ? `Secret ${s}` : undefined);
    await expect(auth.verify(asSecret(secret), { allow: ['secret'] })).resolves.toMatchObject({ method: 'secret' });
    await expect(auth.verify(asSecret(fresh), { allow: ['secret'] })).resolves.toMatchObject({ method: 'secret' });

    const app = await (await bob('POST', '/account/apps', { name: 'Bob app', type: 'confidential', redirectUris: ['https://bob.example/cb'] })).json();
    const foreign = await alice('POST', '/account/secrets', { name: 's', scopes: ['read'], clientId: app.client.clientId });
    expect(foreign.status).toBe(400);
    const own = await bob('POST', '/account/secrets', { name: 's', scopes: ['read'], clientId: app.client.clientId });
    expect(own.status).toBe(201);
    expect((await alice('POST', `/account/secrets/${credential.id}/regenerate`, { overlap: 'later' })).status).toBe(400);
  });
});

describe('OAuth apps', () => {
  const tokenRequest = (clientId: string, secret: string) =>
    auth.handle(
      new Request(`${ORIGIN}/oauth/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
        },
        body: 'grant_type=client_credentials&scope=read',
      }),
    );

  it('registers confidential and public apps, rotates the secret with overlap, updates and revokes', async () => {
    const alice = browser('u-alice');
    const created = await alice('POST', '/account/apps', {
      name: 'Reporting',
      type: 'confidential',
      grantTypes: ['client_credentials'],
      scopes: ['read'],
      environment: 'production',
    });
    expect(created.status).toBe(201);
    const { client, clientSecret } = await created.json();
    expect(client).toMatchObject({ ownerUserId: 'u-alice', businessId: 'b-1', type: 'confidential' });
    expect((await tokenRequest(client.clientId, clientSecret)).status).toBe(200);

    const pub = await (await alice('POST', '/account/apps', { name: 'CLI', type: 'public', redirectUris: ['http://127.0.0.1:7777/cb'] })).json();
    expect(pub.clientSecret).toBeUndefined();

    const rotated = await alice('POST', `/account/apps/${client.clientId}/secrets`, { overlap: '1h' });
    expect(rotated.status).toBe(201);
    const { clientSecret: newSecret } = await rotated.json();
    expect((await tokenRequest(client.clientId, clientSecret)).status).toBe(200);
    expect((await tokenRequest(client.clientId, newSecret)).status).toBe(200);
    const secretsText = await (await alice('GET', `/account/apps/${client.clientId}/secrets`)).text();
    expect(JSON.parse(secretsText).items).toHaveLength(2);
    expect(secretsText).not.toContain(newSecret);

    const patched = await alice('PATCH', `/account/apps/${client.clientId}`, { name: 'Reporting v2' });
    expect((await patched.json()).client.name).toBe('Reporting v2');
    const list = await (await alice('GET', '/account/apps')).json();
    expect(list.items.map((c: { clientId: string }) => c.clientId).sort()).toEqual([client.clientId, pub.client.clientId].sort());

    expect((await alice('DELETE', `/account/apps/${client.clientId}`)).status).toBe(200);
    expect((await tokenRequest(client.clientId, newSecret)).status).toBe(401);
  });

  it("refuses bad app metadata with 400 invalid_request and hides others' apps behind 404", async () => {
    const alice = browser('u-alice');
    const bob = browser('u-bob');
    for (const body of [
      { name: 'x', type: 'confidential' },
      { name: 'x', type: 'desktop', redirectUris: ['https://a.example/cb'] },
      { name: 'x', type: 'public', redirectUris: ['http://evil.example/cb'] },
      { name: 'x', type: 'public', grantTypes: ['client_credentials'] },
      { name: 'x', type: 'confidential', redirectUris: ['https://a.example/cb'], ownerUserId: 'u-bob' },
    ]) {
      const res = await alice('POST', '/account/apps', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json()).error).toBe('invalid_request');
    }
    const { client } = await (await alice('POST', '/account/apps', { name: 'a', type: 'confidential', redirectUris: ['https://a.example/cb'] })).json();
    for (const [method, path] of [
      ['GET', `/account/apps/${client.clientId}`],
      ['PATCH', `/account/apps/${client.clientId}`],
      ['DELETE', `/account/apps/${client.clientId}`],
      ['GET', `/account/apps/${client.clientId}/secrets`],
      ['POST', `/account/apps/${client.clientId}/secrets`],
    ] as const) {
      expect((await bob(method, path, method === 'GET' || method === 'DELETE' ? undefined : {})).status, `${method} ${path}`).toBe(404);
    }
    expect((await auth.clients.get(client.clientId))?.revokedAt).toBeNull();
  });
});

describe('routing', () => {
  it('unknown routes 404, wrong methods 405 with Allow, disabled areas are not served', async () => {
    const alice = browser('u-alice');
    expect((await alice('GET', '/account/passwords')).status).toBe(404);
    expect((await alice('GET', '/account/api-keys/a/b/c')).status).toBe(404);
    expect((await alice('POST', '/account/apps/x/regenerate')).status).toBe(404);
    const put = await alice('PUT', '/account/api-keys');
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST');
    expect((await alice('PATCH', '/account/api-keys/x')).headers.get('allow')).toBe('GET, DELETE');
    expect((await alice('GET', '/account/api-keys/x/regenerate')).status).toBe(405);

    const limited = createManagementHandler(auth, { basePath: '/settings', allow: { secrets: false, clients: false } });
    expect(limited.matches('/settings/api-keys')).toBe(true);
    expect(limited.matches('/settings/secrets')).toBe(false);
    expect(limited.matches('/settings/apps/x')).toBe(false);
    expect(limited.matches('/account/api-keys')).toBe(false);
    const principal = await auth.verify(
      (n) => (n === 'cookie' ? `${auth.sessions.name}=${auth.sessions.issue({ userId: 'u-alice' }).value}` : undefined),
      { httpMethod: 'GET' },
    );
    expect((await limited.handle(new Request(`${ORIGIN}/settings/secrets`), { principal })).status).toBe(404);
    expect((await limited.handle(new Request(`${ORIGIN}/settings/api-keys`), { principal })).status).toBe(200);
    expect(() => createManagementHandler(auth, { basePath: 'settings' })).toThrow(/basePath/);
    expect(() => createManagementHandler(auth, { methods: ['password' as never] })).toThrow(/methods/);
  });
});
