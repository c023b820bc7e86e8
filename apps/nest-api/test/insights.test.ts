/**
 * nest-api in-process, calling a real fastify-api (also in-process) with its own machine token, both over
 * one stand-in provider's SQLite store: the chain nest-api -> fastify-api -> provider, each hop with the
 * caller's own client_credentials token.
 */
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../fastify-api/src/app.js';
import { PEPPER, SECRET, type StandInProvider, startStandInProvider } from '../../fastify-api/test/stand-in-provider.js';
import { createNestApiApp } from '../src/app.js';
import type { InsightsBody } from '../src/insights.controller.js';

describe('nest-api /insights', () => {
  let provider: StandInProvider;
  let fastifyApi: Awaited<ReturnType<typeof buildApp>>;
  let app: INestApplication;
  let origin: string;
  const clients = { fastify: '', nest: '' };

  beforeAll(async () => {
    provider = await startStandInProvider();
    const fastifyMachine = await provider.machineClient('fastify-api', ['campaigns:read']);
    const nestMachine = await provider.machineClient('nest-api', ['campaigns:read']);
    clients.fastify = fastifyMachine.clientId;
    clients.nest = nestMachine.clientId;
    const common = { issuer: provider.issuer, store: provider.store, secrets: [SECRET], pepper: PEPPER };
    fastifyApi = await buildApp({ ...common, machineClient: fastifyMachine });
    const fastifyUrl = await fastifyApi.listen({ port: 0, host: '127.0.0.1' });
    app = await createNestApiApp({ ...common, machineClient: nestMachine, fastifyApiUrl: fastifyUrl, logger: false });
    await app.listen(0, '127.0.0.1');
    origin = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await app?.close();
    await fastifyApi?.close();
    await provider?.close();
  });

  it('serves /health publicly', async () => {
    const res = await fetch(`${origin}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, service: 'nest-api' });
  });

  it('refuses /insights without credentials (RFC 6750)', async () => {
    const res = await fetch(`${origin}/insights`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="nest-api"');
    expect(await res.json()).toMatchObject({ error: 'invalid_token' });
  });

  it('answers 403 insufficient_scope to a provider token without campaigns:read', async () => {
    const token = await provider.accessToken(['profile']);
    const res = await fetch(`${origin}/insights`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
  });

  it('accepts a provider token and builds insights from fastify-api, each hop with its own machine token', async () => {
    const token = await provider.accessToken(['campaigns:read']);
    const res = await fetch(`${origin}/insights`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as InsightsBody;
    expect(body.service).toBe('nest-api');
    expect(body.caller).toMatchObject({ method: 'access_token', scopes: ['campaigns:read'] });
    expect(body.insights).toEqual({ campaignCount: 2, busiest: 'Spring sale' });
    // fastify-api saw nest-api's machine client; the provider saw fastify-api's.
    expect(body.upstream).toMatchObject({ status: 200, reportedBy: 'fastify-api', upstreamCaller: { clientId: clients.nest } });
    expect(provider.campaignCalls.at(-1)).toMatchObject({ clientId: clients.fastify });
  });
});
