import { describe, expect, it } from 'vitest';
import { InvalidTokenError, MissingCredentialsError } from '../../../src/errors.js';
import { headers, permissionsDirectory, rendered, setup } from './fixtures.js';

async function withTokens(options: Parameters<typeof setup>[0] = {}) {
  const s = setup(options);
  const pat = await s.managers.personalTokens.create({
    name: 'laptop',
    userId: 'u1',
    businessId: 'b1',
    scopes: ['read', 'write'],
  });
  const secret = await s.managers.secrets.create({ name: 'dev account', userId: 'u1', scopes: ['read'] });
  return { ...s, pat, secret };
}

describe('Bearer personal / direct access tokens (seeds 003, 004)', () => {
  it('authenticates a personal token with any casing of the scheme and any number of spaces', async () => {
    const { verifier, pat } = await withTokens();
    for (const auth of [`Bearer ${pat.secret}`, `bearer ${pat.secret}`, `BEARER   ${pat.secret}`, ` BeArEr ${pat.secret} `]) {
      const p = await verifier.verify(headers({ authorization: auth }));
      expect(p).toEqual({
        method: 'personal_token',
        userId: 'u1',
        businessId: 'b1',
        clientId: null,
        scopes: ['read', 'write'],
        credentialId: pat.credential.id,
        expiresAt: null,
      });
    }
  });

  it('refuses unknown, revoked and expired tokens with a Bearer invalid_token challenge', async () => {
    const s = await withTokens();
    const expiring = await s.managers.personalTokens.create({ name: 'ci', userId: 'u1', scopes: ['read'], expiresIn: '1h' });
    const unknown = s.ctx.newSecret('personalToken');
    await expect(s.verifier.verify(headers({ authorization: `Bearer ${expiring.secret}` }))).resolves.toBeTruthy();
    s.advance(3_600_000);
    for (const token of [unknown, expiring.secret]) {
      const r = await rendered(s.verifier.verify(headers({ authorization: `Bearer ${token}` })));
      expect(r.status).toBe(401);
      expect(r.headers['www-authenticate']).toBe('Bearer error="invalid_token", error_description="The access token is invalid"');
    }
    await s.managers.personalTokens.revoke(s.pat.credential.id);
    expect((await rendered(s.verifier.verify(headers({ authorization: `Bearer ${s.pat.secret}` })))).status).toBe(401);
  });

  it('intersects a personal token with the user current permissions (seed 003: same access as the user)', async () => {
    const perms = permissionsDirectory();
    perms.set('u1', 'b1', ['read']);
    const s = await withTokens({ accounts: perms.accounts });
    const p = await s.verifier.verify(headers({ authorization: `Bearer ${s.pat.secret}` }));
    expect(p.scopes).toEqual(['read']);
    const r = await rendered(s.verifier.verify(headers({ authorization: `Bearer ${s.pat.secret}` }), { scopes: ['write'] }));
    expect(r.status).toBe(403);
    expect(r.headers['www-authenticate']).toContain('Bearer error="insufficient_scope"');
  });
});

describe('Bearer OAuth access tokens', () => {
  it('hands access-token-shaped values to the authorization server and nothing else', async () => {
    const s = await withTokens();
    const opaque = s.ctx.newSecret('accessToken');
    const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl';
    const principal = {
      method: 'access_token' as const,
      userId: 'u1',
      businessId: null,
      clientId: 'client-1',
      scopes: ['read'],
      credentialId: 'family-1',
      expiresAt: null,
    };
    s.accessTokens.set(opaque, principal);
    s.accessTokens.set(jwt, principal);
    await expect(s.verifier.verify(headers({ authorization: `Bearer ${opaque}` }))).resolves.toEqual(principal);
    await expect(s.verifier.verify(headers({ authorization: `Bearer ${jwt}` }))).resolves.toEqual(principal);
    expect(s.oauthCalls).toEqual([opaque, jwt]);

    s.counted.reset();
    const unknownAt = s.ctx.newSecret('accessToken');
    for (const token of [unknownAt, 'plainjunk', s.ctx.newSecret('apiKey'), s.ctx.newSecret('refreshToken')]) {
      const r = await rendered(s.verifier.verify(headers({ authorization: `Bearer ${token}` })));
      expect(r.error).toBeInstanceOf(InvalidTokenError);
    }
    // Only the well-formed access token reached the authorization server; nothing reached the store.
    expect(s.oauthCalls.slice(2)).toEqual([unknownAt]);
    expect(s.counted.total()).toBe(0);
  });
});

describe('Authorization: Secret (seed 003)', () => {
  it('is accepted only on routes that allow it', async () => {
    const { verifier, secret } = await withTokens();
    const h = headers({ authorization: `Secret ${secret.secret}` });
    const p = await verifier.verify(h, { allow: ['secret'] });
    expect(p).toMatchObject({ method: 'secret', userId: 'u1', scopes: ['read'], credentialId: secret.credential.id });
    await expect(verifier.verify(headers({ authorization: `SECRET ${secret.secret}` }), { allow: ['secret'] })).resolves.toBeTruthy();
    const r = await rendered(verifier.verify(h));
    expect(r.status).toBe(401);
    expect(r.body.error_description).toBe('Secret credentials are not accepted for this resource');
  });

  it('refuses another kind of secret under the Secret scheme', async () => {
    const { verifier, pat, ctx } = await withTokens();
    for (const value of [pat.secret, ctx.newSecret('secret'), ctx.newSecret('clientSecret')]) {
      const r = await rendered(verifier.verify(headers({ authorization: `Secret ${value}` }), { allow: ['secret'] }));
      expect(r.headers['www-authenticate']).toBe('Secret error="invalid_token", error_description="The secret is invalid"');
    }
  });
});

describe('per-route allow lists and schemes', () => {
  it('refuses a method the route does not allow, with the route challenge', async () => {
    const { verifier, pat } = await withTokens();
    const r = await rendered(verifier.verify(headers({ authorization: `Bearer ${pat.secret}` }), { allow: ['api_key'] }));
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toMatch(/^ApiKey error="invalid_token"/);
  });

  it('answers an unsupported scheme with 401 and a bare request with a bare challenge', async () => {
    const { verifier } = await withTokens();
    const basic = await rendered(verifier.verify(headers({ authorization: 'Basic dXNlcjpwYXNz' })));
    expect(basic.status).toBe(401);
    expect(basic.body.error).toBe('invalid_token');
    const bare = await rendered(verifier.verify(headers({})));
    expect(bare.error).toBeInstanceOf(MissingCredentialsError);
    expect(bare.status).toBe(401);
    expect(bare.headers['www-authenticate']).toBe('Bearer');
  });

  it('with the Secret scheme disabled treats it as unsupported', async () => {
    const s = setup({ methods: { bearer: true } });
    const { secret } = await s.managers.secrets.create({ name: 's', userId: 'u1', scopes: [] });
    const r = await rendered(s.verifier.verify(headers({ authorization: `Secret ${secret}` }), { allow: ['secret'] }));
    expect(r.body.error_description).toBe('The authorization scheme is not supported');
  });
});
