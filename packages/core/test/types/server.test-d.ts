import type { IncomingHttpHeaders } from 'node:http';
import { describe, expectTypeOf, it } from 'vitest';
import type {
  AuthMethod,
  AuthServer,
  ClientRegistration,
  ConfidentialClientRegistration,
  CreateApiKeyInput,
  CredentialManagers,
  CredentialView,
  HeaderAccessor,
  IssuedCredential,
  Principal,
  PublicClientRegistration,
  Session,
  SessionCookieOptions,
  SessionCookies,
  SessionReadResult,
  Verifier,
  VerifierMethods,
  VerifyOptions,
} from '../../src/index.js';
import { authenticateClientSecret, createSessionCookies, createVerifier } from '../../src/index.js';

declare const managers: CredentialManagers;
declare const verifier: Verifier;

describe('Principal', () => {
  it('has the documented shape', () => {
    expectTypeOf<Principal>().toEqualTypeOf<{
      method: AuthMethod;
      userId: string | null;
      businessId: string | null;
      clientId: string | null;
      scopes: readonly string[];
      credentialId: string | null;
      expiresAt: number | null;
    }>();
    expectTypeOf<AuthMethod>().toEqualTypeOf<
      'api_key' | 'legacy_api_key' | 'personal_token' | 'access_token' | 'secret' | 'cookie'
    >();
  });
});

describe('verify', () => {
  it('takes Node and Web header accessors without conversion', () => {
    const nodeHeaders: IncomingHttpHeaders = {};
    const web = new Headers();
    expectTypeOf((name: string) => nodeHeaders[name]).toExtend<HeaderAccessor>();
    expectTypeOf((name: string) => web.get(name)).toExtend<HeaderAccessor>();
    expectTypeOf(verifier.verify).parameter(0).toEqualTypeOf<HeaderAccessor>();
    expectTypeOf(verifier.verify).returns.resolves.toEqualTypeOf<Principal>();
  });

  it('types per-route options', () => {
    expectTypeOf<{ scopes: ['read']; httpMethod: 'POST'; allow: ['secret'] }>().toExtend<VerifyOptions>();
    expectTypeOf<VerifyOptions['allow']>().toEqualTypeOf<readonly AuthMethod[] | undefined>();
    // @ts-expect-error: not a method
    const bad: VerifyOptions = { allow: ['basic'] };
    expectTypeOf(bad).toEqualTypeOf<VerifyOptions>();
  });

  it('types verifier methods', () => {
    expectTypeOf<{ apiKey: true; legacyApiKey: { query: 'api_key' }; cache: false }>().toExtend<VerifierMethods>();
    expectTypeOf<{ bearer: { personalTokens: false }; cache: { ttl: '5s'; maxEntries: 10 } }>().toExtend<VerifierMethods>();
    expectTypeOf<{ cache: { ttl: 'five seconds' } }>().not.toExtend<VerifierMethods>();
    expectTypeOf(createVerifier).returns.toEqualTypeOf<Verifier>();
  });
});

describe('session cookies', () => {
  it('reads asynchronously and issues synchronously', () => {
    expectTypeOf(createSessionCookies).returns.toEqualTypeOf<SessionCookies>();
    expectTypeOf<SessionCookies['read']>().returns.toEqualTypeOf<Promise<Session | null>>();
    expectTypeOf<SessionCookies['issue']>().returns.toHaveProperty('setCookie').toEqualTypeOf<string>();
    expectTypeOf<SessionReadResult>().toExtend<{ status: 'absent' | 'invalid' | 'valid' }>();
  });

  it('spells SameSite as the attribute does', () => {
    expectTypeOf<{ sameSite: 'Strict' }>().toExtend<SessionCookieOptions>();
    expectTypeOf<{ sameSite: 'lax' }>().not.toExtend<SessionCookieOptions>();
  });
});

describe('credential managers', () => {
  it('never expose hashes', () => {
    expectTypeOf<CredentialView>().not.toHaveProperty('hash');
    expectTypeOf(managers.apiKeys.list).returns.resolves.toEqualTypeOf<CredentialView[]>();
    expectTypeOf(managers.apiKeys.create).returns.resolves.toEqualTypeOf<IssuedCredential>();
    expectTypeOf<IssuedCredential['secret']>().toEqualTypeOf<string>();
  });

  it('takes one of expiresAt or expiresIn', () => {
    const base = { name: 'k', userId: 'u', businessId: 'b', scopes: [] };
    expectTypeOf({ ...base, expiresIn: '90d' as const }).toExtend<CreateApiKeyInput>();
    expectTypeOf({ ...base, expiresAt: new Date() }).toExtend<CreateApiKeyInput>();
    expectTypeOf({ ...base, expiresAt: 1, expiresIn: '1h' as const }).not.toExtend<CreateApiKeyInput>();
  });

  it('offers an overlap only where rotation allows one', () => {
    expectTypeOf(managers.secrets.regenerate).parameter(1).toEqualTypeOf<{ overlap?: `${number}${'ms' | 's' | 'm' | 'h' | 'd'}` | number } | undefined>();
    expectTypeOf(managers.apiKeys.regenerate).parameters.toEqualTypeOf<[id: string]>();
    expectTypeOf(managers.personalTokens.regenerate).parameters.toEqualTypeOf<[id: string]>();
  });

  it('returns a secret exactly for confidential clients', async () => {
    const conf = await managers.clients.register({ name: 'a', type: 'confidential', redirectUris: [] });
    expectTypeOf(conf).toEqualTypeOf<ConfidentialClientRegistration>();
    expectTypeOf(conf.clientSecret).toEqualTypeOf<string>();
    const pub = await managers.clients.register({ name: 'b', type: 'public' });
    expectTypeOf(pub).toEqualTypeOf<PublicClientRegistration>();
    expectTypeOf(pub.clientSecret).toEqualTypeOf<undefined>();
    const type = 'public' as 'public' | 'confidential';
    expectTypeOf(await managers.clients.register({ name: 'c', type })).toEqualTypeOf<ClientRegistration>();
    expectTypeOf(authenticateClientSecret).returns.resolves.toEqualTypeOf<boolean>();
  });

  it('are part of the auth server', () => {
    expectTypeOf<AuthServer>().toExtend<CredentialManagers>();
    expectTypeOf<AuthServer['verify']>().toEqualTypeOf<Verifier['verify']>();
  });
});
