/**
 * Interop: oauth4webapi (strict response validation, software we did not write) as the client of our
 * authorization server over real loopback HTTP.
 */
import * as oauth from 'oauth4webapi';
import { afterEach, describe, expect, it } from 'vitest';
import { generateAccessTokenSigningKey } from '../../../src/server/oauth/jwt-access-token.js';
import { Browser, authorizeInBrowser, hiddenField, startFixture, type Fixture } from './fixture.js';

const insecure = { [oauth.allowInsecureRequests]: true } as const;
let fx: Fixture;

afterEach(async () => {
  await fx?.close();
});

async function discover(f: Fixture): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(f.issuer);
  const res = await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure });
  return oauth.processDiscoveryResponse(issuer, res);
}

async function codeFlow(as: oauth.AuthorizationServer, client: oauth.Client, redirectUri: string, responseMode: 'query' | 'form_post') {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint!);
  url.searchParams.set('client_id', client.client_id);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', 'read');
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  if (responseMode === 'form_post') url.searchParams.set('response_mode', 'form_post');
  const final = await authorizeInBrowser(new Browser(), url.href);
  let callback: URLSearchParams;
  if (responseMode === 'query') {
    expect(final.status).toBe(303);
    callback = new URL(final.headers.get('location')!).searchParams;
  } else {
    expect(final.status).toBe(200);
    const html = await final.text();
    callback = new URLSearchParams({
      code: hiddenField(html, 'code'),
      state: hiddenField(html, 'state'),
      iss: hiddenField(html, 'iss'),
    });
  }
  const params = oauth.validateAuthResponse(as, client, callback, state);
  return { params, verifier };
}

describe('oauth4webapi against our authorization server', () => {
  it('discovers RFC 8414 metadata with the exact issuer and the advertised capabilities', async () => {
    fx = await startFixture();
    const as = await discover(fx);
    expect(as.issuer).toBe(fx.issuer);
    expect(as.code_challenge_methods_supported).toEqual(['S256']);
    expect(as.response_modes_supported).toEqual(['query', 'form_post']);
    expect(as.authorization_response_iss_parameter_supported).toBe(true);
    expect(as.grant_types_supported).not.toContain('password');
    expect(as.token_endpoint).toBe(`${fx.issuer}/oauth/token`);
    expect(as.revocation_endpoint).toBe(`${fx.issuer}/oauth/revoke`);
    expect(as.introspection_endpoint).toBe(`${fx.issuer}/oauth/introspect`);
    expect(as.jwks_uri).toBeUndefined();
  });

  it('completes authorization code + PKCE for a confidential client (query), then refresh, introspection, revocation', async () => {
    fx = await startFixture();
    const { client: rec, secret } = await fx.registerClient();
    const as = await discover(fx);
    const client: oauth.Client = { client_id: rec.clientId };
    const auth = oauth.ClientSecretBasic(secret!);
    const redirectUri = rec.redirectUris[0]!;
    const { params, verifier } = await codeFlow(as, client, redirectUri, 'query');

    const tokenRes = await oauth.authorizationCodeGrantRequest(as, client, auth, params, redirectUri, verifier, insecure);
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, tokenRes);
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.expires_in).toBe(3600);
    expect(tokens.scope).toBe('read');
    expect(tokenRes.headers.get('cache-control')).toBe('no-store');
    const principal = await fx.oauth.verifyAccessToken(tokens.access_token);
    expect(principal).toMatchObject({ method: 'access_token', userId: 'u-alice', businessId: 'b-1', clientId: rec.clientId, scopes: ['read'] });

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token!, insecure),
    );
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.access_token).not.toBe(tokens.access_token);

    const intro = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, auth, refreshed.access_token, insecure),
    );
    expect(intro).toMatchObject({ active: true, client_id: rec.clientId, scope: 'read', sub: 'u-alice', token_type: 'Bearer' });
    // The rotated-away refresh token is spent: introspection reports it inactive.
    const spent = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, auth, tokens.refresh_token!, insecure),
    );
    expect(spent).toEqual({ active: false });

    await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, auth, refreshed.refresh_token!, insecure));
    expect(await fx.oauth.verifyAccessToken(refreshed.access_token)).toBeNull();
    const after = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, auth, refreshed.access_token, insecure),
    );
    expect(after).toEqual({ active: false });
  });

  it('completes authorization code + PKCE for a public client with form_post and client auth none', async () => {
    fx = await startFixture();
    const { client: rec } = await fx.registerClient({ type: 'public', grantTypes: ['authorization_code', 'refresh_token'] });
    const as = await discover(fx);
    const client: oauth.Client = { client_id: rec.clientId, token_endpoint_auth_method: 'none' };
    const { params, verifier } = await codeFlow(as, client, rec.redirectUris[0]!, 'form_post');
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, rec.redirectUris[0]!, verifier, insecure),
    );
    expect(tokens.refresh_token).toMatch(/^rt_/);
    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, oauth.None(), tokens.refresh_token!, insecure),
    );
    expect(await fx.oauth.verifyAccessToken(refreshed.access_token)).not.toBeNull();
  });

  it('runs client credentials with client_secret_post and issues no refresh token', async () => {
    fx = await startFixture();
    const { client: rec, secret } = await fx.registerClient({ tokenEndpointAuthMethod: 'client_secret_post' });
    const as = await discover(fx);
    const client: oauth.Client = { client_id: rec.clientId };
    const tokens = await oauth.processClientCredentialsResponse(
      as,
      client,
      await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretPost(secret!), { scope: 'write' }, insecure),
    );
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.scope).toBe('write');
    expect(await fx.oauth.verifyAccessToken(tokens.access_token)).toMatchObject({ userId: null, clientId: rec.clientId, scopes: ['write'] });
  });

  it('surfaces invalid_client over Basic as a 401 Basic challenge and invalid_grant as a ResponseBodyError', async () => {
    fx = await startFixture();
    const { client: rec, secret } = await fx.registerClient();
    const as = await discover(fx);
    const client: oauth.Client = { client_id: rec.clientId };
    const res = await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic('cs_wrong'), {}, insecure);
    const err = await oauth.processClientCredentialsResponse(as, client, res).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
    const challenge = err as oauth.WWWAuthenticateChallengeError;
    expect(challenge.status).toBe(401);
    expect(challenge.cause[0]!.scheme).toBe('basic');
    expect(await challenge.response.json()).toMatchObject({ error: 'invalid_client' });

    const bad = await oauth.refreshTokenGrantRequest(as, client, oauth.ClientSecretBasic(secret!), 'rt_not-a-token', insecure);
    const grantErr = await oauth.processRefreshTokenResponse(as, client, bad).catch((e: unknown) => e);
    expect(grantErr).toBeInstanceOf(oauth.ResponseBodyError);
    expect((grantErr as oauth.ResponseBodyError).error).toBe('invalid_grant');
    expect((grantErr as oauth.ResponseBodyError).status).toBe(400);
  });

  it('issues RFC 9068 JWT access tokens that oauth4webapi validates against our JWKS', async () => {
    const key = await generateAccessTokenSigningKey('ES256');
    fx = await startFixture({ oauth: { accessTokens: { format: 'jwt', signingKeys: [key], audience: 'https://api.example.com' } } });
    const { client: rec, secret } = await fx.registerClient();
    const as = await discover(fx);
    expect(as.jwks_uri).toBe(`${fx.issuer}/oauth/jwks`);
    const client: oauth.Client = { client_id: rec.clientId };
    const tokens = await oauth.processClientCredentialsResponse(
      as,
      client,
      await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic(secret!), {}, insecure),
    );
    const claims = await oauth.validateJwtAccessToken(
      as,
      new Request('https://api.example.com/x', { headers: { authorization: `Bearer ${tokens.access_token}` } }),
      'https://api.example.com',
      insecure,
    );
    expect(claims).toMatchObject({ iss: fx.issuer, client_id: rec.clientId, sub: rec.clientId, scope: 'read write' });
    const jwks = await (await fetch(as.jwks_uri!)).json();
    expect(jwks.keys[0].d).toBeUndefined();
    expect(await fx.oauth.verifyAccessToken(tokens.access_token)).toMatchObject({ clientId: rec.clientId });

    // Our own verification also honours revocation at once, JWT or not.
    await oauth.revocationRequest(as, client, oauth.ClientSecretBasic(secret!), tokens.access_token, insecure);
    expect(await fx.oauth.verifyAccessToken(tokens.access_token)).toBeNull();
  });
});
