import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import {
  type AuthClient,
  AuthClientModule,
  apiKey,
  clientCredentials,
  ConfigError,
  createTokenManager,
  getAuthClientToken,
  InjectAuthClient,
} from '../src/index.js';

/** A token endpoint and an API in one fake fetch: tokens are numbered, the API accepts only the newest. */
function fakeServer() {
  let issued = 0;
  const calls: { url: string; authorization: string | null }[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    calls.push({ url: request.url, authorization: request.headers.get('authorization') });
    if (request.url.endsWith('/oauth/token')) {
      issued++;
      return Response.json({ access_token: `token-${issued}`, token_type: 'Bearer', expires_in: '3600' });
    }
    const ok = request.headers.get('authorization') === `Bearer token-${issued}` || request.headers.get('x-api-key') === 'ak_static';
    return ok ? Response.json({ ok: true }) : new Response(null, { status: 401 });
  };
  return { fetch, calls, revokeAll: () => issued++ };
}

@Injectable()
class CrmService {
  constructor(@InjectAuthClient('crm') readonly crm: AuthClient) {}
}

@Injectable()
class LegacyService {
  constructor(@InjectAuthClient() readonly legacy: AuthClient) {}
}

describe('AuthClientModule', () => {
  it('register(): a named client with the token manager, renewing once on a 401', async () => {
    const server = fakeServer();
    const tokens = createTokenManager(
      clientCredentials({ tokenEndpoint: 'https://as.example.com/oauth/token', clientId: 'c', clientSecret: 's', fetch: server.fetch }),
    );
    const moduleRef = await Test.createTestingModule({
      imports: [AuthClientModule.register({ name: 'crm', source: tokens, fetch: server.fetch })],
      providers: [CrmService],
    }).compile();
    const { crm } = moduleRef.get(CrmService);
    expect(crm.name).toBe('crm');
    expect(await crm.getAccessToken()).toBe('token-1');
    expect((await crm.fetch('https://api.example.com/v1/contacts')).status).toBe(200);
    // The API stops accepting token-1: the client renews once and retries.
    server.revokeAll();
    const res = await crm.fetch('https://api.example.com/v1/contacts');
    expect(res.status).toBe(200);
    expect(server.calls.at(-1)?.authorization).toBe('Bearer token-3');
    await moduleRef.close();
  });

  it('registerAsync(): factory + inject, several clients side by side', async () => {
    const server = fakeServer();
    @Injectable()
    class Settings {
      readonly key = 'ak_static';
    }
    @Module({ providers: [Settings], exports: [Settings] })
    class SettingsModule {}

    const moduleRef = await Test.createTestingModule({
      imports: [
        AuthClientModule.registerAsync({
          imports: [SettingsModule],
          inject: [Settings],
          useFactory: (settings: Settings) => ({ source: apiKey({ key: settings.key, header: 'X-API-Key' }), fetch: server.fetch }),
        }),
        AuthClientModule.register({ name: 'crm', source: apiKey({ key: 'other', header: 'X-API-Key' }), fetch: server.fetch }),
      ],
      providers: [LegacyService, CrmService],
    }).compile();
    const { legacy } = moduleRef.get(LegacyService);
    expect(legacy.name).toBe('default');
    expect(moduleRef.get(getAuthClientToken())).toBe(legacy);
    expect((await legacy.fetch('https://api.example.com/v1/data')).status).toBe(200);
    expect(await moduleRef.get(CrmService).crm.getAccessToken()).toBe('other');
    await moduleRef.close();
  });

  it('refuses a missing source at bootstrap', async () => {
    await expect(
      Test.createTestingModule({ imports: [AuthClientModule.register({ name: 'bad', source: undefined as never })] }).compile(),
    ).rejects.toBeInstanceOf(ConfigError);
  });
});
