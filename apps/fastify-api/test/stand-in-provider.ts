/**
 * A stand-in for the demo provider, in-process: the core's authorization server (client_credentials) and
 * a `/v1/campaigns` endpoint over the given store, so the resource servers can be tested against real
 * tokens without the provider app. Records who called `/v1/campaigns`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import fastifyAuth, { type AuthServer, createAuthServer, type Principal } from '@auth/fastify';
import { sqliteAuthStore, type SqlAuthStore } from '@auth/sql-store';

export const SECRET = 'test-only-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
export const PEPPER = 'test-only-pepper-0123456789';

export interface StandInProvider {
  issuer: string;
  store: SqlAuthStore;
  auth: AuthServer;
  /** Principals seen by `/v1/campaigns`, in order. */
  campaignCalls: Principal[];
  /** Token endpoint requests, in order (grant types). */
  tokenRequests: string[];
  /** A confidential client_credentials client with these scopes. */
  machineClient(name: string, scopes: string[]): Promise<{ clientId: string; clientSecret: string }>;
  /** A client_credentials access token for a fresh client with these scopes. */
  accessToken(scopes: string[]): Promise<string>;
  close(): Promise<void>;
}

/** Start the stand-in on a free loopback port over a SQLite file in a temporary DATA_DIR. */
export async function startStandInProvider(): Promise<StandInProvider> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'auth-demo-'));
  const store = sqliteAuthStore({ filename: path.join(dataDir, 'provider.db') });
  const app = Fastify();
  const campaignCalls: Principal[] = [];
  const tokenRequests: string[] = [];
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  const issuer = `http://127.0.0.1:${address.port}`;
  // Listening first, routes afterwards is not possible in Fastify: close and re-open on the same port.
  await app.close();

  const auth = createAuthServer({ issuer, store, secrets: [SECRET], pepper: PEPPER, methods: { bearer: true } });
  const server = Fastify();
  server.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/oauth/token')) tokenRequests.push(String(request.headers['content-type'] ?? ''));
  });
  await server.register(fastifyAuth, { auth, authorizationServer: true });
  server.get('/v1/campaigns', { config: { auth: { scopes: ['campaigns:read'] } } }, async (request) => {
    campaignCalls.push(request.auth!);
    return { businessId: request.auth!.businessId, items: [{ id: 'c_1', name: 'Spring sale' }, { id: 'c_2', name: 'Autumn launch' }] };
  });
  await server.listen({ port: address.port, host: '127.0.0.1' });

  const machineClient = async (name: string, scopes: string[]) => {
    const registration = await auth.clients.register({ name, type: 'confidential', grantTypes: ['client_credentials'], scopes });
    return { clientId: registration.client.clientId, clientSecret: registration.clientSecret };
  };

  return {
    issuer,
    store,
    auth,
    campaignCalls,
    tokenRequests,
    machineClient,
    async accessToken(scopes) {
      const client = await machineClient(`caller ${scopes.join(' ')}`, scopes);
      const res = await fetch(`${issuer}/oauth/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: scopes.join(' ') }),
      });
      if (!res.ok) throw new Error(`token request failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { access_token: string }).access_token;
    },
    async close() {
      await server.close();
      await auth.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
