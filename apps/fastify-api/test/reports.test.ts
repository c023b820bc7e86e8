/**
 * fastify-api in-process against a stand-in provider over one SQLite store: tokens the provider issues are
 * verified through the shared store, and `/reports` calls the provider with the app's own
 * client_credentials token.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type ReportsBody } from '../src/app.js';
import { PEPPER, SECRET, type StandInProvider, startStandInProvider } from './stand-in-provider.js';

describe('fastify-api /reports', () => {
  let provider: StandInProvider;
  let app: FastifyInstance;
  let machineClientId: string;

  beforeAll(async () => {
    provider = await startStandInProvider();
    const machine = await provider.machineClient('fastify-api', ['campaigns:read']);
    machineClientId = machine.clientId;
    app = await buildApp({ issuer: provider.issuer, store: provider.store, secrets: [SECRET], pepper: PEPPER, machineClient: machine });
  });
  afterAll(async () => {
    await app?.close();
    await provider?.close();
  });

  it('is public only at /health', async () => {
    const health = await app.inject('/health');
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ ok: true, service: 'fastify-api' });
  });

  it('refuses a request without credentials with an RFC 6750 challenge', async () => {
    const res = await app.inject('/reports');
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="fastify-api"');
    expect(provider.campaignCalls).toHaveLength(0);
  });

  it('refuses a token the provider never issued', async () => {
    const res = await app.inject({ url: '/reports', headers: { authorization: 'Bearer not-a-real-token' } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('accepts a provider access token and calls the provider with its own machine token, once', async () => {
    const token = await provider.accessToken(['campaigns:read']);
    const first = await app.inject({ url: '/reports', headers: { authorization: `Bearer ${token}` } });
    expect(first.statusCode).toBe(200);
    const body = first.json() as ReportsBody;
    expect(body.service).toBe('fastify-api');
    expect(body.caller).toMatchObject({ method: 'access_token', scopes: ['campaigns:read'] });
    expect(body.caller.clientId).not.toBe(machineClientId);
    expect(body.report.campaignCount).toBe(2);
    // The provider saw fastify-api's own client, not the caller's token.
    expect(provider.campaignCalls.at(-1)).toMatchObject({ method: 'access_token', clientId: machineClientId });

    const tokenRequestsBefore = provider.tokenRequests.length;
    const second = await app.inject({ url: '/reports', headers: { authorization: `Bearer ${token}` } });
    expect(second.statusCode).toBe(200);
    // The machine token is cached by the token manager: no second token request.
    expect(provider.tokenRequests.length).toBe(tokenRequestsBefore);
  });

  it('answers 403 insufficient_scope to a token without campaigns:read', async () => {
    const token = await provider.accessToken(['profile']);
    const res = await app.inject({ url: '/reports', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(403);
    expect(res.headers['www-authenticate']).toContain('error="insufficient_scope"');
    expect(res.json()).toMatchObject({ error: 'insufficient_scope' });
  });

  it('sees a revocation made by the provider', async () => {
    const token = await provider.accessToken(['campaigns:read']);
    expect((await app.inject({ url: '/reports', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
    // What the provider's revocation endpoint does to the shared store.
    expect(await provider.store.revokeToken(provider.auth.context.hash(token), Date.now())).not.toBeNull();
    // A revocation by another process is seen within the verifier cache's TTL; a fresh app sees it at once.
    const fresh = await buildApp({
      issuer: provider.issuer,
      store: provider.store,
      secrets: [SECRET],
      pepper: PEPPER,
      machineClient: { clientId: machineClientId, clientSecret: 'unused' },
    });
    try {
      const res = await fresh.inject({ url: '/reports', headers: { authorization: `Bearer ${token}` } });
      expect(res.statusCode).toBe(401);
    } finally {
      await fresh.close();
    }
  });
});
