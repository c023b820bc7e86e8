import { afterEach, describe, expect, it } from 'vitest';
import { createAuthServer, type AuthServer } from '../../../src/server/auth-server.js';
import { memoryAuthStore } from '../../../src/store/memory-auth-store.js';
import { headers, rendered, SECRET_A } from './fixtures.js';

const issuer = 'https://api.example.com';
let auth: AuthServer | undefined;

afterEach(async () => {
  await auth?.close();
  auth = undefined;
});

async function clientCredentialsToken(server: AuthServer, clientId: string, secret: string) {
  const response = await server.handle(
    new Request(`${issuer}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials&scope=read',
    }),
  );
  return { status: response.status, body: (await response.json()) as { access_token?: string; error?: string } };
}

describe('createAuthServer: verify, managers and the OAuth server together', () => {
  it('verifies an OAuth access token issued to a client registered through the managers', async () => {
    auth = createAuthServer({ issuer, store: memoryAuthStore(), secrets: [SECRET_A], methods: { bearer: true } });
    const reg = await auth.clients.register({
      name: 'Batch job',
      type: 'confidential',
      grantTypes: ['client_credentials'],
      scopes: ['read'],
    });
    const issued = await clientCredentialsToken(auth, reg.client.clientId, reg.clientSecret);
    expect(issued.status).toBe(200);
    const bearer = headers({ authorization: `Bearer ${issued.body.access_token}` });
    await expect(auth.verify(bearer, { scopes: ['read'] })).resolves.toMatchObject({
      method: 'access_token',
      clientId: reg.client.clientId,
      scopes: ['read'],
    });
    const r = await rendered(auth.verify(bearer, { scopes: ['write'] }));
    expect(r.status).toBe(403);
  });

  it('lets the old client secret obtain tokens during a rotation overlap, and not after a revoke', async () => {
    auth = createAuthServer({ issuer, store: memoryAuthStore(), secrets: [SECRET_A] });
    const reg = await auth.clients.register({ name: 'Job', type: 'confidential', grantTypes: ['client_credentials'], scopes: ['read'] });
    const rotated = await auth.clients.rotateSecret(reg.client.clientId, { overlap: '1h' });
    expect((await clientCredentialsToken(auth, reg.client.clientId, reg.clientSecret)).status).toBe(200);
    expect((await clientCredentialsToken(auth, reg.client.clientId, rotated.clientSecret)).status).toBe(200);
    await auth.clients.revoke(reg.client.clientId);
    const refused = await clientCredentialsToken(auth, reg.client.clientId, rotated.clientSecret);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe('invalid_client');
  });
});
