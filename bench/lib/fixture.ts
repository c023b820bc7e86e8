/**
 * One credential of every scheme against a real `createAuthServer`, for the verification benchmarks.
 * Two auth servers: one issuing opaque access tokens, one issuing RFC 9068 JWTs (a server has one format).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AuthServer, createAuthServer, generateAccessTokenSigningKey } from '@auth/core';
import { sqliteAuthStore } from '@auth/sql-store';

export const ISSUER = 'http://127.0.0.1';
export const SECRET = 'bench-secret-0123456789-abcdefghijklmnop';

export interface Credentials {
  /** Headers per scheme, sent to the same protected route. */
  apiKey: Record<string, string>;
  pat: Record<string, string>;
  opaque: Record<string, string>;
  jwt: Record<string, string>;
  cookie: Record<string, string>;
  /** The peers' bearer token. */
  peer: Record<string, string>;
}

async function clientCredentialsToken(auth: AuthServer): Promise<string> {
  const { client, clientSecret } = await auth.clients.register({
    name: 'bench',
    type: 'confidential',
    redirectUris: [],
    grantTypes: ['client_credentials'],
    scopes: ['read'],
  });
  const res = await auth.handle(
    new Request(`${ISSUER}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${client.clientId}:${clientSecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials&scope=read',
    }),
  );
  const body = (await res.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`token request failed: ${JSON.stringify(body)}`);
  return body.access_token;
}

export async function createFixture() {
  const dir = mkdtempSync(join(tmpdir(), 'auth-bench-'));
  const stores = [sqliteAuthStore({ filename: join(dir, 'a.db') }), sqliteAuthStore({ filename: join(dir, 'b.db') })];
  const base = {
    issuer: ISSUER,
    secrets: [SECRET],
    methods: { apiKey: true, bearer: true, cookie: true },
    cookies: { secure: false },
  } as const;
  const auth = createAuthServer({ ...base, store: stores[0]! });
  const jwtAuth = createAuthServer({
    ...base,
    store: stores[1]!,
    oauth: { accessTokens: { format: 'jwt', signingKeys: [await generateAccessTokenSigningKey('ES256')] } },
  });
  const key = await auth.apiKeys.create({ name: 'k', userId: 'u_1', businessId: 'b_1', scopes: ['read'] });
  const pat = await auth.personalTokens.create({ name: 'p', userId: 'u_1', businessId: 'b_1', scopes: ['read'] });
  const session = auth.sessions.issue({ userId: 'u_1', businessId: 'b_1', scopes: ['read'] });
  const cookie = session.setCookie.split(';')[0]!;
  const creds: Credentials = {
    apiKey: { 'x-api-key': key.secret, 'x-business-id': 'b_1', 'x-user-id': 'u_1' },
    pat: { authorization: `Bearer ${pat.secret}` },
    opaque: { authorization: `Bearer ${await clientCredentialsToken(auth)}` },
    jwt: { authorization: `Bearer ${await clientCredentialsToken(jwtAuth)}` },
    cookie: { cookie },
    peer: { authorization: 'Bearer peer-token-0123456789abcdef' },
  };
  return {
    auth,
    jwtAuth,
    creds,
    peerToken: 'peer-token-0123456789abcdef',
    async close() {
      await auth.close();
      await jwtAuth.close();
      for (const s of stores) await s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
