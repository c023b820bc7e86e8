/**
 * `oauth.paths`: the pathnames adapters register as routes must be exactly what the server answers and
 * advertises, for issuers with and without a path, with and without JWT access tokens.
 */
import { describe, expect, it } from 'vitest';
import { createAuthServer } from '../../../src/server/auth-server.js';
import { generateAccessTokenSigningKey } from '../../../src/server/oauth/index.js';
import { memoryAuthStore } from '../../../src/store/memory-auth-store.js';

const secrets = ['paths-secret-0123456789-abcdefghijklmnop'];

describe('oauth.paths lists every served pathname', () => {
  it('at the root issuer: endpoints, metadata and the built-in pages, each one matching', () => {
    const auth = createAuthServer({ issuer: 'https://api.example.com', store: memoryAuthStore(), secrets });
    expect([...auth.oauth.paths].sort()).toEqual(
      ['/.well-known/oauth-authorization-server', '/oauth/authorize', '/oauth/consent', '/oauth/introspect', '/oauth/login', '/oauth/revoke', '/oauth/token'].sort(),
    );
    for (const p of auth.oauth.paths) expect(auth.oauth.matches(p)).toBe(true);
  });

  it('under an issuer path: base path included, RFC 8414 location added, JWKS only with JWT tokens', async () => {
    const auth = createAuthServer({
      issuer: 'https://api.example.com/auth',
      store: memoryAuthStore(),
      secrets,
      oauth: { accessTokens: { format: 'jwt', signingKeys: [await generateAccessTokenSigningKey()] }, interaction: { loginUrl: (r) => `/login?next=${encodeURIComponent(r)}` } },
    });
    const paths = auth.oauth.paths;
    expect(paths).toContain('/auth/oauth/token');
    expect(paths).toContain('/auth/oauth/jwks');
    expect(paths).toContain('/.well-known/oauth-authorization-server/auth');
    expect(paths).not.toContain('/auth/oauth/login');
    const metadata = auth.oauth.metadata();
    for (const key of ['token_endpoint', 'authorization_endpoint', 'revocation_endpoint', 'introspection_endpoint', 'jwks_uri']) {
      expect(paths).toContain(new URL(metadata[key] as string).pathname);
    }
  });
});
