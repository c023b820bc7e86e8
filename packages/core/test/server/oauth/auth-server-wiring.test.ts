/**
 * The authorization server as wired by createAuthServer: tokens it issues verify through `auth.verify`
 * (Bearer), and revocation reaches the verifier at once.
 */
import { describe, expect, it } from 'vitest';
import { secretHint } from '../../../src/crypto/token-format.js';
import { createAuthServer } from '../../../src/server/auth-server.js';
import { memoryAuthStore } from '../../../src/store/memory-auth-store.js';

describe('createAuthServer wiring', () => {
  it('offers verifyWarm, but not to a wrapper spread from the server', async () => {
    const auth = createAuthServer({
      issuer: 'https://auth.example.com',
      store: memoryAuthStore(),
      secrets: ['wiring-secret-0123456789-abcdefghijklmnop'],
      methods: { bearer: true },
    });
    const { secret } = await auth.personalTokens.create({ name: 't', userId: 'u1', scopes: [] });
    const get = (name: string) => (name === 'authorization' ? `Bearer ${secret}` : undefined);
    const principal = await auth.verify(get);
    expect(auth.verifyWarm(get)).toEqual(principal);
    expect(Object.keys(auth)).not.toContain('verifyWarm');
    expect({ ...auth }.verifyWarm).toBeUndefined();
    await auth.close();
  });

  it('verifies an access token from handle() with verify(), until it is revoked', async () => {
    const issuer = 'https://auth.example.com';
    const auth = createAuthServer({
      issuer,
      store: memoryAuthStore(),
      secrets: ['wiring-secret-0123456789-abcdefghijklmnop'],
      methods: { bearer: true },
    });
    const ctx = auth.context;
    await ctx.store.createClient({
      clientId: 'svc',
      name: 'Service',
      type: 'confidential',
      redirectUris: [],
      grantTypes: ['client_credentials'],
      scopes: ['read'],
      tokenEndpointAuthMethod: 'client_secret_basic',
      environment: null,
      ownerUserId: null,
      businessId: 'b-1',
      createdAt: Date.now(),
      revokedAt: null,
    });
    const secret = ctx.newSecret('clientSecret');
    await ctx.store.createCredential({
      id: 'cred-svc',
      kind: 'client_secret',
      hash: ctx.hash(secret),
      hint: secretHint(secret),
      userId: null,
      businessId: 'b-1',
      clientId: 'svc',
      name: 'secret',
      scopes: [],
      createdAt: Date.now(),
      expiresAt: null,
      revokedAt: null,
      lastUsedAt: null,
    });
    const basic = `Basic ${Buffer.from(`svc:${secret}`).toString('base64')}`;
    const form = (path: string, body: string) =>
      auth.handle(
        new Request(`${issuer}${path}`, {
          method: 'POST',
          headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
          body,
        }),
      );
    const res = await form('/oauth/token', 'grant_type=client_credentials');
    expect(res.status).toBe(200);
    const { access_token } = await res.json();
    const headers: Record<string, string> = { authorization: `Bearer ${access_token}` };
    const principal = await auth.verify((name) => headers[name]);
    expect(principal).toMatchObject({ method: 'access_token', clientId: 'svc', businessId: 'b-1', scopes: ['read'] });

    expect((await form('/oauth/revoke', `token=${access_token}`)).status).toBe(200);
    await expect(auth.verify((name) => headers[name])).rejects.toMatchObject({ error: 'invalid_token', status: 401 });
    await auth.close();
  });
});
