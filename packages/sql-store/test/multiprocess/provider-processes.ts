/**
 * Parent side of the provider multi-process tests: start replicas of provider-child.ts, seed clients and
 * codes through an in-test auth server on the same store, and talk to the replicas over loopback HTTP.
 */
import { fileURLToPath } from 'node:url';
import {
  type AuthServer,
  type AuthStore,
  createAuthServer,
  generateCodeVerifier,
  randomId,
  s256CodeChallenge,
} from '@auth/core';
import { type JsonChild, spawnTsChild, stopChild } from '../../../redis-store/test/multiprocess/child-process.js';

export const PROVIDER_CHILD = fileURLToPath(new URL('./provider-child.ts', import.meta.url));
export const AUTH_SECRET = 'multi-process-test-secret-0123456789abcdef';
export const AUTH_PEPPER = 'multi-process-test-pepper';
export const REDIRECT_URI = 'https://app.example.com/callback';

/** A running replica. */
export interface Provider {
  child: JsonChild;
  url: string;
}

/** Start one replica and wait (bounded) until it listens. */
export async function startProvider(env: Record<string, string>): Promise<Provider> {
  const child = spawnTsChild(PROVIDER_CHILD, { AUTH_SECRET, AUTH_PEPPER, CHILD_MAX_MS: '90000', ...env });
  try {
    const ready = await child.next<{ port: number }>((m) => m.type === 'ready', 30_000);
    return { child, url: `http://127.0.0.1:${ready.port}` };
  } catch (err) {
    await stopChild(child);
    throw err;
  }
}

/** Stop replicas that are still running. */
export async function stopProviders(providers: Provider[]): Promise<void> {
  await Promise.all(providers.map((p) => stopChild(p.child)));
}

/** An auth server in the test process over the same store, with the replicas' secrets, for seeding. */
export function seedingServer(store: AuthStore): AuthServer {
  return createAuthServer({ issuer: 'http://127.0.0.1', store, secrets: [AUTH_SECRET], pepper: AUTH_PEPPER });
}

/** A confidential client allowed every grant the tests use. */
export async function registerClient(auth: AuthServer): Promise<{ clientId: string; clientSecret: string }> {
  const { client, clientSecret } = await auth.clients.register({
    name: 'multi-process',
    type: 'confidential',
    redirectUris: [REDIRECT_URI],
    grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
    scopes: ['read', 'write'],
  });
  return { clientId: client.clientId, clientSecret };
}

/**
 * An authorization code as the authorize endpoint would have stored it after login and consent (the
 * endpoint itself is covered by core's tests; here only redemption across processes matters).
 */
export async function seedCode(
  auth: AuthServer,
  clientId: string,
): Promise<{ code: string; verifier: string }> {
  const code = auth.context.newSecret('authorizationCode');
  const verifier = generateCodeVerifier();
  const now = Date.now();
  await auth.context.store.saveAuthorizationCode({
    hash: auth.context.hash(code),
    clientId,
    userId: 'user-1',
    businessId: 'biz-1',
    redirectUri: REDIRECT_URI,
    scopes: ['read'],
    codeChallenge: s256CodeChallenge(verifier),
    codeChallengeMethod: 'S256',
    familyId: randomId(),
    createdAt: now,
    expiresAt: now + 60_000,
    consumedAt: null,
  });
  return { code, verifier };
}

/** POST a form with client_secret_basic. */
export function postForm(
  url: string,
  fields: Record<string, string>,
  client: { clientId: string; clientSecret: string },
): Promise<Response> {
  const basic = Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`);
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic.toString('base64')}` },
    body: new URLSearchParams(fields),
    signal: AbortSignal.timeout(15_000),
  });
}

/** Whether a replica's introspection endpoint calls `token` active. */
export async function introspect(
  provider: Provider,
  client: { clientId: string; clientSecret: string },
  token: string,
): Promise<boolean> {
  const res = await postForm(`${provider.url}/oauth/introspect`, { token }, client);
  if (res.status !== 200) throw new Error(`introspection answered ${res.status}`);
  return ((await res.json()) as { active: boolean }).active;
}
