import { describe, expectTypeOf, it } from 'vitest';
import {
  type AppliedCredential,
  apiKey,
  type ApiKeyOptions,
  authFetch,
  type AuthorizationCodeGrant,
  type AuthorizationTransaction,
  authorizationCode,
  bearer,
  type ClientCredentialsOptions,
  clientCredentials,
  type CredentialSource,
  createTokenManager,
  type Grant,
  memoryTokenStore,
  passwordGrant,
  secret,
  type TokenManager,
  type TokenSet,
  type TokenStore,
} from '../../src/client/index.js';

describe('credential sources', () => {
  it('apiKey requires businessId together with userId, and placements are exclusive', () => {
    expectTypeOf(apiKey({ key: 'k', businessId: 'b', userId: 'u' })).toEqualTypeOf<CredentialSource>();
    expectTypeOf(apiKey({ key: 'k', header: 'X-API-Key' })).toEqualTypeOf<CredentialSource>();
    expectTypeOf(apiKey({ key: 'k', query: 'api_key' })).toEqualTypeOf<CredentialSource>();
    // @ts-expect-error userId is required with businessId
    apiKey({ key: 'k', businessId: 'b' });
    // @ts-expect-error businessId is required with userId
    apiKey({ key: 'k', userId: 'u' });
    // @ts-expect-error header and query cannot be combined
    apiKey({ key: 'k', header: 'X', query: 'q' });
    // @ts-expect-error the three-header scheme has fixed header names
    apiKey({ key: 'k', businessId: 'b', userId: 'u', header: 'X' });
    expectTypeOf<{ key: string }>().toExtend<ApiKeyOptions>();
  });

  it('bearer and secret take a string and are credential sources', () => {
    expectTypeOf(bearer).parameters.toEqualTypeOf<[string]>();
    expectTypeOf(secret).returns.toEqualTypeOf<CredentialSource>();
    expectTypeOf<CredentialSource['credential']>().returns.resolves.toEqualTypeOf<AppliedCredential>();
    expectTypeOf<CredentialSource['renew']>().returns.resolves.toEqualTypeOf<AppliedCredential | null>();
  });
});

describe('grant options', () => {
  it('clientCredentials takes explicit endpoints or an issuer, and a client auth method union', () => {
    clientCredentials({ tokenEndpoint: 'https://a/token', clientId: 'c', clientSecret: 's' });
    clientCredentials({ issuer: 'https://a', clientId: 'c', clientSecret: 's', clientAuth: 'client_secret_post' });
    // @ts-expect-error neither tokenEndpoint nor issuer
    clientCredentials({ clientId: 'c', clientSecret: 's' });
    // @ts-expect-error endpoints are discovered when only an issuer is given
    clientCredentials({ issuer: 'https://a', revocationEndpoint: 'https://a/revoke', clientId: 'c', clientSecret: 's' });
    // @ts-expect-error unknown client authentication method
    clientCredentials({ tokenEndpoint: 'https://a/token', clientId: 'c', clientSecret: 's', clientAuth: 'private_key_jwt' });
    expectTypeOf<ClientCredentialsOptions['clientAuth']>().toEqualTypeOf<'client_secret_basic' | 'client_secret_post' | undefined>();
    expectTypeOf(clientCredentials).returns.toEqualTypeOf<Grant>();
  });

  it('passwordGrant requires username and password', () => {
    passwordGrant({ tokenEndpoint: 'https://a/token', clientId: 'k', clientSecret: 's', username: 'u', password: 'p' });
    // @ts-expect-error password is required
    passwordGrant({ tokenEndpoint: 'https://a/token', clientId: 'k', clientSecret: 's', username: 'u' });
  });

  it('authorizationCode: a public client has no secret-based auth, and response modes are a union', () => {
    const grant = authorizationCode({
      authorizationEndpoint: 'https://a/authorize',
      tokenEndpoint: 'https://a/token',
      clientId: 'c',
      redirectUri: 'https://app/cb',
      responseMode: 'form_post',
    });
    expectTypeOf(grant).toEqualTypeOf<AuthorizationCodeGrant>();
    expectTypeOf(grant.createAuthorizationRequest).returns.resolves.toEqualTypeOf<{ url: URL; transaction: AuthorizationTransaction }>();
    expectTypeOf(grant.handleCallback).parameter(0).toEqualTypeOf<URL | string | URLSearchParams | Request>();
    // @ts-expect-error client_secret_basic needs a clientSecret
    authorizationCode({ issuer: 'https://a', clientId: 'c', redirectUri: 'https://app/cb', clientAuth: 'client_secret_basic' });
    // @ts-expect-error fragment is not a response mode
    authorizationCode({ issuer: 'https://a', clientId: 'c', redirectUri: 'https://app/cb', responseMode: 'fragment' });
  });
});

describe('token manager', () => {
  it('getAccessToken returns Promise<string>; the manager is a credential source', () => {
    const tokens = createTokenManager(clientCredentials({ tokenEndpoint: 'https://a/token', clientId: 'c', clientSecret: 's' }), {
      store: memoryTokenStore(),
      refreshSkew: '2m',
    });
    expectTypeOf(tokens).toEqualTypeOf<TokenManager>();
    expectTypeOf(tokens.getAccessToken).returns.toEqualTypeOf<Promise<string>>();
    expectTypeOf(tokens.getAccessToken).parameters.toEqualTypeOf<[subject?: string]>();
    expectTypeOf(tokens.getTokenSet).returns.resolves.toEqualTypeOf<TokenSet>();
    expectTypeOf(tokens).toExtend<CredentialSource>();
    expectTypeOf(authFetch(tokens)).returns.resolves.toEqualTypeOf<Response>();
    // @ts-expect-error durations are numbers or unit strings
    createTokenManager(clientCredentials({ tokenEndpoint: 'https://a/token', clientId: 'c', clientSecret: 's' }), { refreshSkew: 'soon' });
  });

  it('the store contract: versioned get, compare-and-set, optional lock and wait', () => {
    expectTypeOf<TokenStore['get']>().returns.resolves.toEqualTypeOf<{ tokenSet: TokenSet; version: string } | null>();
    expectTypeOf<TokenStore['compareAndSet']>().parameter(2).toEqualTypeOf<string | null>();
    expectTypeOf<TokenStore['compareAndSet']>().returns.resolves.toEqualTypeOf<{ ok: true; version: string } | { ok: false }>();
    expectTypeOf<TokenStore['acquireLock']>().toExtend<((key: string, leaseMs: number) => Promise<unknown>) | undefined>();
    expectTypeOf<TokenSet['tokenType']>().toEqualTypeOf<'Bearer'>();
    expectTypeOf<TokenSet['expiresAt']>().toEqualTypeOf<number | null>();
  });
});
