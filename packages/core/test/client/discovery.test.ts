import { startTokenServer, type TokenServer } from '../../../testkit/src/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { clientCredentials, createTokenManager, discover } from '../../src/client/index.js';
import { ConfigError, InvalidResponseError } from '../../src/errors.js';

let server: TokenServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('authorization server metadata discovery (RFC 8414 / OpenID)', () => {
  it('reads /.well-known/oauth-authorization-server first', async () => {
    server = await startTokenServer();
    const meta = await discover(server.url);
    expect(meta).toMatchObject({ issuer: server.url, token_endpoint: server.tokenEndpoint, revocation_endpoint: server.revocationEndpoint });
    expect(server.counts.discovery).toBe(1);
  });

  it('falls back to /.well-known/openid-configuration', async () => {
    server = await startTokenServer({ discovery: 'openid-only' });
    expect((await discover(server.url)).token_endpoint).toBe(server.tokenEndpoint);
    expect(server.counts.discovery).toBe(2);
  });

  it('refuses a document whose issuer is not exactly the configured one', async () => {
    server = await startTokenServer({ metadataIssuer: 'https://evil.example' });
    await expect(discover(server.url)).rejects.toBeInstanceOf(InvalidResponseError);
    await expect(discover(`${server.url}/`)).rejects.toThrow(/issuer does not match/);
  });

  it('is a typed error when neither document exists, and refuses non-https issuers', async () => {
    server = await startTokenServer({ discovery: 'none' });
    await expect(discover(server.url)).rejects.toMatchObject({ status: 404 });
    await expect(discover('http://auth.example.com')).rejects.toBeInstanceOf(ConfigError);
  });

  it('a grant configured with { issuer } discovers its endpoints once and uses them', async () => {
    server = await startTokenServer({ clients: [{ clientId: 'c', clientSecret: 's' }] });
    const tokens = createTokenManager(clientCredentials({ issuer: server.url, clientId: 'c', clientSecret: 's' }));
    await tokens.getAccessToken();
    await tokens.revoke();
    expect(server.counts.discovery).toBe(1);
    expect(server.counts.token).toBe(1);
    expect(server.counts.revocation).toBe(1);
  });

  it('an unreachable issuer is a typed NetworkError', async () => {
    server = await startTokenServer({ clients: [{ clientId: 'c', clientSecret: 's' }] });
    const grant = clientCredentials({ issuer: server.url, clientId: 'c', clientSecret: 's', retry: false, timeout: '200ms' });
    const closed = server;
    await closed.close();
    await expect(grant.requestToken()).rejects.toMatchObject({ code: 'ERR_NETWORK' });
  });
});
