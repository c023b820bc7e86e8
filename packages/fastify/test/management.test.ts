/**
 * Credential management mounted by the plugin: create, list and revoke for the signed-in user, other
 * users' ids answered 404, authentication and CSRF before anything, and the host's own routes and 404s
 * under the same base path left alone.
 */
import { createAdapterFixture, type AdapterFixture } from '@auth/testkit';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fastifyAuth, { createManagementHandler } from '../src/index.js';

let fixture: AdapterFixture;
let app: FastifyInstance;
let alice: { cookie: string; csrf: string };
let bob: { cookie: string; csrf: string };

async function build(protectAllRoutes: boolean): Promise<void> {
  app = Fastify();
  await app.register(fastifyAuth, { auth: fixture.auth, protectAllRoutes, management: createManagementHandler(fixture.auth) });
  app.get('/account/profile', { config: { auth: false } }, async () => ({ profile: true }));
  await app.ready();
}

beforeEach(async () => {
  fixture = await createAdapterFixture({
    accounts: {
      async permissions(user) {
        return user === 'u_1' || user === 'u_2' ? ['read', 'write'] : null;
      },
    },
  });
  const session = (userId: string) => {
    const issued = fixture.auth.sessions.issue({ userId, businessId: 'b_1', scopes: ['read', 'write'] });
    return { cookie: `${fixture.auth.sessions.name}=${issued.value}`, csrf: issued.csrfToken };
  };
  alice = session('u_1');
  bob = session('u_2');
});

afterEach(async () => {
  await app?.close();
  await fixture.close();
});

function as(user: { cookie: string; csrf: string }) {
  return { cookie: user.cookie, 'x-csrf-token': user.csrf };
}

describe.each([true, false])('management routes (protectAllRoutes: %s)', (protectAllRoutes) => {
  it('creates, lists and revokes an API key for the signed-in user', async () => {
    await build(protectAllRoutes);
    const created = await app.inject({ method: 'POST', url: '/account/api-keys', headers: as(alice), payload: { name: 'ci', scopes: ['read'] } });
    expect(created.statusCode).toBe(201);
    const issued = created.json() as { secret: string; credential: { id: string; name: string } };
    expect(issued.credential.name).toBe('ci');
    // The new key works on the API, in the user's business.
    const principal = await fixture.auth.verify((name) => ({ 'x-api-key': issued.secret, 'x-business-id': 'b_1', 'x-user-id': 'u_1' })[name]);
    expect(principal.method).toBe('api_key');

    const list = await app.inject({ url: '/account/api-keys', headers: { cookie: alice.cookie } });
    expect(list.statusCode).toBe(200);
    const ids = (list.json() as { items: { id: string }[] }).items.map((i) => i.id);
    expect(ids).toContain(issued.credential.id);
    expect(list.body).not.toContain(issued.secret);

    const revoked = await app.inject({ method: 'DELETE', url: `/account/api-keys/${issued.credential.id}`, headers: as(alice) });
    expect(revoked.statusCode).toBe(200);
    await expect(fixture.auth.verify((name) => ({ 'x-api-key': issued.secret, 'x-business-id': 'b_1', 'x-user-id': 'u_1' })[name])).rejects.toMatchObject({ status: 401 });
  });

  it("answers 404 for another user's ids, and leaves their credential alone", async () => {
    await build(protectAllRoutes);
    const created = await app.inject({ method: 'POST', url: '/account/personal-tokens', headers: as(alice), payload: { name: 'mine', scopes: ['read'] } });
    const id = (created.json() as { credential: { id: string } }).credential.id;
    for (const request of [
      { method: 'GET' as const, url: `/account/personal-tokens/${id}`, headers: { cookie: bob.cookie } },
      { method: 'DELETE' as const, url: `/account/personal-tokens/${id}`, headers: as(bob) },
    ]) {
      const res = await app.inject(request);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: 'not_found' });
    }
    const bobsList = await app.inject({ url: '/account/personal-tokens', headers: { cookie: bob.cookie } });
    expect((bobsList.json() as { items: unknown[] }).items).toEqual([]);
    const still = await app.inject({ url: `/account/personal-tokens/${id}`, headers: { cookie: alice.cookie } });
    expect(still.statusCode).toBe(200);
  });

  it('authenticates first: 401 without credentials, 403 without CSRF proof, 403 for an API key', async () => {
    await build(protectAllRoutes);
    const none = await app.inject({ url: '/account/api-keys' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBeDefined();
    const noCsrf = await app.inject({ method: 'POST', url: '/account/api-keys', headers: { cookie: alice.cookie }, payload: { name: 'x' } });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json()).toMatchObject({ error: 'invalid_request' });
    const apiKey = await app.inject({
      url: '/account/api-keys',
      headers: { 'x-api-key': fixture.values.apiKey, 'x-business-id': 'b_1', 'x-user-id': 'u_1' },
    });
    expect(apiKey.statusCode).toBe(403);
    expect(apiKey.json()).toMatchObject({ error: 'insufficient_scope' });
  });

  it('bad input is a 4xx in the standard format: malformed JSON, wrong types, wrong method', async () => {
    await build(protectAllRoutes);
    const malformed = await app.inject({ method: 'POST', url: '/account/api-keys', headers: { ...as(alice), 'content-type': 'application/json' }, payload: '{"name":' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ error: 'invalid_request' });
    const wrongType = await app.inject({ method: 'POST', url: '/account/api-keys', headers: as(alice), payload: { name: 42 } });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json()).toMatchObject({ error: 'invalid_request' });
    const put = await app.inject({ method: 'PUT', url: '/account/api-keys', headers: as(alice), payload: {} });
    expect(put.statusCode).toBe(405);
    expect(put.headers.allow).toBe('GET, POST');
  });

  it("leaves the host's routes and 404s under the base path alone", async () => {
    await build(protectAllRoutes);
    expect((await app.inject({ url: '/account/profile' })).json()).toEqual({ profile: true });
    const unknown = await app.inject({ url: '/account/nothing-here' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['www-authenticate']).toBeUndefined();
  });
});
