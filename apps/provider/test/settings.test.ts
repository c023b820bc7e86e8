/** Developer settings over HTTP: create (shown once), list, use, revoke; OAuth apps; CSRF; escaping. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, basic, type Harness, inputValue, signIn, startHarness, testId, token } from './harness.js';

let h: Harness;
let b: Browser;
let csrf: string;
beforeAll(async () => {
  h = await startHarness();
  b = new Browser();
  await signIn(b, h);
  csrf = inputValue(await (await b.fetch(`${h.url}/settings`)).text(), '_csrf');
});
afterAll(async () => {
  await h?.close();
});

const me = (headers: Record<string, string>) => fetch(`${h.url}/v1/me`, { headers });

async function create(area: string, fields: Record<string, string | string[]>) {
  const res = await b.postForm(`${h.url}/settings/${area}`, { _csrf: csrf, ...fields });
  return { status: res.status, html: await res.text() };
}

async function revoke(area: string, id: string) {
  const page = await (await b.fetch(`${h.url}/settings`)).text();
  expect(page).toContain(`data-testid="revoke-${id}"`);
  const res = await b.postForm(`${h.url}/settings/${area}/${id}/revoke`, { _csrf: csrf });
  expect(res.status).toBe(303);
}

describe('developer settings', () => {
  it('signed out: the page redirects to sign in', async () => {
    const res = await fetch(`${h.url}/settings`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?next=/settings');
  });

  it('shows the profile ids (seed 000 "My Profile")', async () => {
    const page = await (await b.fetch(`${h.url}/settings`)).text();
    expect(testId(page, 'user-id')).toBe('usr_demo');
    expect(testId(page, 'business-id')).toBe('biz_demo');
  });

  it('API key: shown once with its business and user ids, works, listed, revoked -> 401', async () => {
    const { status, html } = await create('api-keys', { name: 'CRM <sync>', scopes: ['campaigns:read', 'profile'] });
    expect(status).toBe(201);
    expect(html).toContain('CRM &lt;sync&gt;');
    expect(html).not.toContain('CRM <sync>');
    const key = testId(html, 'new-secret')!;
    const id = testId(html, 'new-credential-id')!;
    expect(key).toMatch(/^ak_/);
    const headers = { 'x-api-key': key, 'x-business-id': testId(html, 'new-secret-business-id')!, 'x-user-id': testId(html, 'new-secret-user-id')! };
    expect((await me(headers)).status).toBe(200);
    // Shown once: the list shows the hint, never the key.
    const later = await (await b.fetch(`${h.url}/settings`)).text();
    expect(later).not.toContain(key);
    expect(later).toContain(`data-testid="api-keys-${id}"`);
    await revoke('api-keys', id);
    const after = await me(headers);
    expect(after.status).toBe(401);
    expect(((await after.json()) as { error: string }).error).toBe('invalid_token');
  });

  it('personal token and Secret: create, use, revoke', async () => {
    const pat = await create('personal-tokens', { name: 'CLI', scopes: ['profile'], expiresIn: '30d' });
    const patSecret = testId(pat.html, 'new-secret')!;
    expect((await me({ authorization: `Bearer ${patSecret}` })).status).toBe(200);
    const sec = await create('secrets', { name: 'Back office', scopes: ['profile'] });
    const secret = testId(sec.html, 'new-secret')!;
    expect((await me({ authorization: `Secret ${secret}` })).status).toBe(200);
    await revoke('personal-tokens', testId(pat.html, 'new-credential-id')!);
    await revoke('secrets', testId(sec.html, 'new-credential-id')!);
    expect((await me({ authorization: `Bearer ${patSecret}` })).status).toBe(401);
    expect((await me({ authorization: `Secret ${secret}` })).status).toBe(401);
  });

  it('OAuth app: register (id and secret once), rotate, revoke', async () => {
    const reg = await create('apps', { name: 'Reports', type: 'confidential', redirectUris: 'https://reports.example.com/cb\nhttp://127.0.0.1:7000/cb', scopes: ['campaigns:read'] });
    expect(reg.status).toBe(201);
    const clientId = testId(reg.html, 'new-client-id')!;
    const secret1 = testId(reg.html, 'new-secret')!;
    const cc = (secret: string) => token(h, { grant_type: 'client_credentials' }, basic(clientId, secret));
    expect((await cc(secret1)).status).toBe(200);

    const rotated = await b.postForm(`${h.url}/settings/apps/${clientId}/rotate`, { _csrf: csrf });
    expect(rotated.status).toBe(201);
    const secret2 = testId(await rotated.text(), 'new-secret')!;
    expect(secret2).not.toBe(secret1);
    expect((await cc(secret1)).status).toBe(401);
    expect((await cc(secret2)).status).toBe(200);

    const pub = await create('apps', { name: 'Mobile', type: 'public', redirectUris: 'http://127.0.0.1:7001/cb', scopes: ['profile'] });
    expect(testId(pub.html, 'new-secret')).toBeNull();
    expect(testId(pub.html, 'new-client-id')).toBeTruthy();

    const revoked = await b.postForm(`${h.url}/settings/apps/${clientId}/revoke`, { _csrf: csrf });
    expect(revoked.status).toBe(303);
    expect((await cc(secret2)).status).toBe(401);
  });

  it('bad input is a 400 with the reason on the page', async () => {
    const bad = await create('apps', { name: 'Bad', type: 'confidential', redirectUris: 'javascript:alert(1)', scopes: ['profile'] });
    expect(bad.status).toBe(400);
    expect(testId(bad.html, 'form-error')).toBeTruthy();
    const noScopes = await create('api-keys', { name: 'x' });
    expect(noScopes.status).toBe(400);
    const tooMuch = await create('api-keys', { name: 'x', scopes: ['admin'] });
    expect(tooMuch.status).toBe(400);
    expect(testId(tooMuch.html, 'form-error')).toBeTruthy();
  });

  it('forms need the CSRF token and a same-site request; other users cannot revoke', async () => {
    const noCsrf = await b.postForm(`${h.url}/settings/api-keys`, { name: 'x', scopes: 'profile' });
    expect(noCsrf.status).toBe(403);
    expect(((await noCsrf.json()) as { error: string }).error).toBeTruthy();
    const anonymous = await fetch(`${h.url}/settings/api-keys`, { method: 'POST', body: new URLSearchParams({ name: 'x' }) });
    expect(anonymous.status).toBe(401);
    // The seeded key belongs to the user; an unknown id is a 404 on the page.
    const unknown = await b.postForm(`${h.url}/settings/api-keys/cred_unknown/revoke`, { _csrf: csrf });
    expect(unknown.status).toBe(404);
  });

  it('sign out ends the session', async () => {
    const other = new Browser();
    await signIn(other, h);
    const page = await (await other.fetch(`${h.url}/settings`)).text();
    const out = await other.postForm(`${h.url}/logout`, { _csrf: inputValue(page, '_csrf') });
    expect(out.status).toBe(303);
    expect((await other.fetch(`${h.url}/settings`)).status).toBe(303);
  });

  it('the JSON management routes work with the session cookie and CSRF header', async () => {
    const res = await b.fetch(`${h.url}/account/personal-tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify({ name: 'json', scopes: ['profile'] }),
    });
    expect(res.status).toBe(201);
  });
});
