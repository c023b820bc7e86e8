import { clientCredentials, createTokenManager, type TokenManager } from '@auth/core';
import { startTokenServer, type TokenServer } from '@auth/testkit';
import type { IncomingHttpHeaders } from 'node:http';
import { type ApiServer, startApiServer } from './api-server.js';

export const CLIENT = { clientId: 'client', clientSecret: 'client-secret-value' };

/** A real token endpoint, an API that accepts only the access tokens it issued, and a token manager. */
export interface OAuthFixture {
  tokenServer: TokenServer;
  api: ApiServer;
  tokens: TokenManager;
  close(): Promise<void>;
}

export function bearerOf(headers: IncomingHttpHeaders): string {
  const value = headers.authorization ?? '';
  return value.startsWith('Bearer ') ? value.slice(7) : '';
}

export async function startOAuthFixture(): Promise<OAuthFixture> {
  const tokenServer = await startTokenServer({ clients: [CLIENT], expiresIn: 'number', accessTokenLifetime: 3600 });
  const api = await startApiServer({ authorize: (headers) => tokenServer.isAccessTokenActive(bearerOf(headers)) });
  const tokens = createTokenManager(
    clientCredentials({ tokenEndpoint: tokenServer.tokenEndpoint, ...CLIENT, retry: false }),
  );
  return {
    tokenServer,
    api,
    tokens,
    close: async () => {
      await api.close();
      await tokenServer.close();
    },
  };
}
