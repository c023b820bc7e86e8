import { startTokenServer, type TokenServer } from '../../../testkit/src/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authFetch, basicAuthorization, createTokenManager, passwordGrant } from '../../src/client/index.js';
import { OAuthError } from '../../src/errors.js';

const API_KEY = 'kz_api_key';
const API_SECRET = 'kz/secret+with:special&chars=%';
const PASSWORD = 'correct horse battery staple';
let server: TokenServer;

beforeAll(async () => {
  server = await startTokenServer({
    clients: [{ clientId: API_KEY, clientSecret: API_SECRET }],
    users: [{ username: 'ops@example.com', password: PASSWORD }],
  });
});
afterAll(() => server.close());

function grant(password = PASSWORD) {
  return passwordGrant({
    tokenEndpoint: server.tokenEndpoint,
    clientId: API_KEY,
    clientSecret: API_SECRET,
    username: 'ops@example.com',
    password,
  });
}

describe('seed 001: password grant with HTTP Basic client authentication', () => {
  it('sends Basic base64(key:secret) with form-encoded parts and accepts expires_in "1799" without token_type', async () => {
    const tokens = createTokenManager(grant());
    const before = server.tokenRequests.length;
    const set = await tokens.getTokenSet();
    const request = server.tokenRequests[before]!;
    expect(request.grantType).toBe('password');
    expect(request.params).toMatchObject({ username: 'ops@example.com', password: PASSWORD });
    expect(request.params.client_secret).toBeUndefined();
    const encoded = `${encodeURIComponent(API_KEY)}:${new URLSearchParams([['', API_SECRET]]).toString().slice(1)}`;
    expect(request.authorization).toBe(`Basic ${Buffer.from(encoded).toString('base64')}`);
    expect(basicAuthorization(API_KEY, API_SECRET)).toBe(request.authorization);
    expect(set.tokenType).toBe('Bearer');
    expect(set.refreshToken).toBeUndefined();
    expect(set.expiresAt! - set.obtainedAt).toBe(1_799_000);
  });

  it('calls the API with Authorization: Bearer and re-runs the grant when the token expires', async () => {
    let clock = Date.now();
    const tokens = createTokenManager(grant(), { now: () => clock });
    const api = authFetch(tokens);
    const before = server.counts.token;
    const first = await api(`${server.resourceUrl}/campaigns?page=1`);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ scheme: 'access_token', username: 'ops@example.com' });
    const t1 = await tokens.getAccessToken();
    expect(server.counts.token - before).toBe(1);
    clock += 1_800_000;
    const t2 = await tokens.getAccessToken();
    expect(t2).not.toBe(t1);
    expect(server.counts.token - before).toBe(2);
    expect(server.tokenRequests.at(-1)!.grantType).toBe('password');
  });

  it('a wrong password is an OAuthError invalid_grant whose message and JSON never contain the secrets', async () => {
    const wrong = 'hunter2-wrong-password';
    const err = await createTokenManager(grant(wrong)).getAccessToken().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthError);
    expect(err).toMatchObject({ error: 'invalid_grant', status: 400 });
    const text = `${(err as Error).message} ${JSON.stringify(err)} ${String((err as Error).stack)}`;
    for (const s of [wrong, API_SECRET, PASSWORD]) expect(text).not.toContain(s);
  });

  it('a wrong client secret is invalid_client with status 401, not retried', async () => {
    const before = server.counts.token;
    const bad = passwordGrant({
      tokenEndpoint: server.tokenEndpoint,
      clientId: API_KEY,
      clientSecret: 'wrong-secret-value',
      username: 'ops@example.com',
      password: PASSWORD,
    });
    const err = await createTokenManager(bad).getAccessToken().catch((e: unknown) => e);
    expect(err).toMatchObject({ error: 'invalid_client', status: 401 });
    expect(server.counts.token - before).toBe(1);
    expect(JSON.stringify(err) + (err as Error).message).not.toContain('wrong-secret-value');
  });
});
