import {
  type AuthMethod,
  type AuthServer,
  type AuthServerOptions,
  createAuthServer,
  memoryAuthStore,
} from '@auth/core';

/** Issuer of the shared adapter fixture (http is accepted on loopback). */
export const FIXTURE_ISSUER = 'http://127.0.0.1:4000';
/** Realm of every challenge the fixture's verifier sends. */
export const FIXTURE_REALM = 'fixture';

/** Credentials the fixture issued, for building requests. */
export interface FixtureValues {
  userId: string;
  businessId: string;
  otherBusinessId: string;
  otherUserId: string;
  /** API key for userId in businessId, permission group read+write. */
  apiKey: string;
  /** Personal token with read+write. */
  pat: string;
  /** Personal token with read only. */
  readOnlyPat: string;
  /** A personal token that was revoked. */
  revokedPat: string;
  /** `Secret` scheme secret. */
  secret: string;
  /** OAuth access token (client credentials, read+write). */
  accessToken: string;
  /** `Cookie` header value carrying a valid session. */
  cookie: string;
  /** The session's CSRF token. */
  csrfToken: string;
  /** Name of the session cookie. */
  cookieName: string;
}

/** An auth server with every scheme enabled and one credential of each kind. */
export interface AdapterFixture {
  auth: AuthServer;
  values: FixtureValues;
  close(): Promise<void>;
}

/**
 * The routes every adapter test app registers, with the protection each needs. Handlers answer
 * `{ method, userId, businessId, clientId, scopes }` of the principal (or `{ ok: true }` on `/public`).
 */
export const FIXTURE_ROUTES = {
  '/public': { public: true },
  '/me': {},
  '/items': { scopes: ['write'] as const },
  '/secret-only': { allow: ['secret'] as readonly AuthMethod[] },
} as const;

/** A path of {@link FIXTURE_ROUTES}. */
export type FixturePath = keyof typeof FIXTURE_ROUTES;

/**
 * Build the shared fixture: memory store, every scheme on, user `u_1` in business `b_1` holding
 * `read` and `write`.
 */
export async function createAdapterFixture(overrides: Partial<AuthServerOptions> = {}): Promise<AdapterFixture> {
  const userId = 'u_1';
  const businessId = 'b_1';
  const auth = createAuthServer({
    issuer: FIXTURE_ISSUER,
    store: memoryAuthStore(),
    secrets: ['fixture-secret-0123456789-abcdefghijklmnop'],
    methods: { apiKey: true, bearer: true, secret: true, cookie: true, realm: FIXTURE_REALM },
    cookies: { secure: false },
    accounts: {
      async permissions(user, business) {
        return user === userId && (business === businessId || business === null) ? ['read', 'write'] : null;
      },
    },
    ...overrides,
  });
  const apiKey = await auth.apiKeys.create({ name: 'fixture', userId, businessId, scopes: ['read', 'write'] });
  const pat = await auth.personalTokens.create({ name: 'rw', userId, businessId, scopes: ['read', 'write'] });
  const readOnlyPat = await auth.personalTokens.create({ name: 'ro', userId, businessId, scopes: ['read'] });
  const revokedPat = await auth.personalTokens.create({ name: 'gone', userId, businessId, scopes: ['read'] });
  await auth.personalTokens.revoke(revokedPat.credential.id);
  const secret = await auth.secrets.create({ name: 'fixture', userId, businessId, scopes: ['read', 'write'] });
  const client = await auth.clients.register({
    name: 'fixture machine',
    type: 'confidential',
    redirectUris: ['http://127.0.0.1:4001/callback'],
    grantTypes: ['client_credentials'],
    scopes: ['read', 'write'],
  });
  const tokenResponse = await auth.handle(
    new Request(`${FIXTURE_ISSUER}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials&scope=read%20write',
    }),
  );
  if (tokenResponse.status !== 200) {
    throw new Error(`fixture: client_credentials failed with ${tokenResponse.status}`);
  }
  const { access_token: accessToken } = (await tokenResponse.json()) as { access_token: string };
  const session = auth.sessions.issue({ userId, businessId, scopes: ['read', 'write'] });
  return {
    auth,
    values: {
      userId,
      businessId,
      otherBusinessId: 'b_2',
      otherUserId: 'u_2',
      apiKey: apiKey.secret,
      pat: pat.secret,
      readOnlyPat: readOnlyPat.secret,
      revokedPat: revokedPat.secret,
      secret: secret.secret,
      accessToken,
      cookie: `${auth.sessions.name}=${session.value}`,
      csrfToken: session.csrfToken,
      cookieName: auth.sessions.name,
    },
    close: () => auth.close(),
  };
}
