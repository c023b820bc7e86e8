import { apiKey, bearer, type CredentialSource, secret } from '@auth/core';
import axios from 'axios';
import { describe, expect, it } from 'vitest';
import { attach } from '../src/index.js';
import { useTwoApiServers } from './api-server.js';

// GHSA-r4q5-vmmm-2653: credentials must not follow a redirect to another origin. Two loopback
// servers on different ports are two origins.

const sources: [string, () => CredentialSource, string[]][] = [
  ['three-header API key', () => apiKey({ key: 'k-secret', businessId: 'b-1', userId: 'u-1' }), ['x-api-key', 'x-business-id', 'x-user-id']],
  ['legacy X-API-Key', () => apiKey({ key: 'k-secret', header: 'X-API-Key' }), ['x-api-key']],
  ['bearer', () => bearer('t-secret'), ['authorization']],
  ['Secret', () => secret('s-secret'), ['authorization']],
];

describe('redirects keep the credential on its origin', () => {
  const servers = useTwoApiServers();

  for (const [name, make, headers] of sources) {
    it(`${name}: stripped on a cross-origin redirect, kept on a same-origin one`, async () => {
      const api = axios.create({ baseURL: servers.a.url });
      attach(api, make());
      await api.get('/redirect', { params: { to: `${servers.b.url}/echo` } });
      await api.get('/redirect', { params: { to: '/echo' } });
      const [redirected] = servers.a.hitsTo('/redirect');
      const [crossed] = servers.b.hitsTo('/echo');
      const [same] = servers.a.hitsTo('/echo');
      for (const header of headers) {
        expect(redirected?.headers[header]).toBeDefined();
        expect(crossed?.headers[header]).toBeUndefined();
        expect(same?.headers[header]).toBe(redirected?.headers[header]);
      }
    });
  }

  it('query-parameter key: removed from a cross-origin hop, kept on a same-origin one', async () => {
    const api = axios.create({ baseURL: servers.a.url });
    attach(api, apiKey({ key: 'q-secret', query: 'api_key' }));
    await api.get('/redirect', { params: { to: `${servers.b.url}/echo?page=2` } });
    await api.get('/redirect', { params: { to: '/echo?page=3' } });
    expect(servers.a.hitsTo('/redirect').every((hit) => hit.target.includes('api_key=q-secret'))).toBe(true);
    expect(servers.b.hits.map((hit) => hit.target)).toEqual(['/echo?page=2']);
    expect(servers.a.hitsTo('/echo').map((hit) => hit.target)).toEqual(['/echo?page=3&api_key=q-secret']);
  });

  it('a user beforeRedirect still runs, and cannot carry the credential across', async () => {
    const api = axios.create({ baseURL: servers.a.url });
    attach(api, bearer('t-secret'));
    const seen: string[] = [];
    await api.get('/redirect', {
      params: { to: `${servers.b.url}/echo` },
      beforeRedirect(options) {
        seen.push(String(options.href));
        options.headers.Authorization = 'Bearer t-secret';
        options.headers['X-Trace'] = 'kept';
      },
    });
    expect(seen).toEqual([`${servers.b.url}/echo`]);
    expect(servers.b.hits[0]?.headers.authorization).toBeUndefined();
    expect(servers.b.hits[0]?.headers['x-trace']).toBe('kept');
  });

  it('a chain that comes back to the origin gets the credential again, and only there', async () => {
    const api = axios.create({ baseURL: servers.a.url });
    attach(api, apiKey({ key: 'k-secret', businessId: 'b-1', userId: 'u-1' }));
    const back = `${servers.b.url}/redirect?to=${encodeURIComponent(`${servers.a.url}/echo`)}`;
    await api.get('/redirect', { params: { to: back } });
    expect(servers.b.hitsTo('/redirect')[0]?.headers['x-api-key']).toBeUndefined();
    expect(servers.a.hitsTo('/echo')[0]?.headers['x-api-key']).toBe('k-secret');
    expect(servers.a.hitsTo('/echo')[0]?.headers['x-user-id']).toBe('u-1');
  });
});
