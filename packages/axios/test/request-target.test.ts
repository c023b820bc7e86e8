import { bearer } from '@auth/core';
import axios, { AxiosError, type AxiosRequestConfig } from 'axios';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { attach } from '../src/index.js';
import { requestOriginResolver } from '../src/origin-allow-list.js';
import { useTwoApiServers } from './api-server.js';
import { bearerOf } from './fixtures.js';

/** Run `fn` as if in a browser page at `href` (relative URLs resolve against it). */
function onPage<T>(href: string, fn: () => T): T {
  const global = globalThis as { location?: unknown };
  const before = Object.getOwnPropertyDescriptor(global, 'location');
  Object.defineProperty(global, 'location', { value: { href }, configurable: true });
  try {
    return fn();
  } finally {
    if (before) Object.defineProperty(global, 'location', before);
    else delete global.location;
  }
}

describe('where a request goes, decided without axios.getUri', () => {
  const base = 'https://api.example.com/v1';

  it('a relative url on an absolute baseURL goes to that origin', () => {
    const origin = requestOriginResolver();
    expect(origin({ baseURL: base, url: '/users' })).toBe('https://api.example.com');
    expect(origin({ baseURL: `${base}///`, url: 'users' })).toBe('https://api.example.com');
    expect(origin({ baseURL: base })).toBe('https://api.example.com');
    expect(origin({ baseURL: base, url: '' })).toBe('https://api.example.com');
    // Not a scheme, so relative: axios joins it to the base.
    expect(origin({ baseURL: base, url: 'evil.com/x' })).toBe('https://api.example.com');
    expect(origin({ baseURL: base, url: '@evil.com/x' })).toBe('https://api.example.com');
    expect(origin({ baseURL: 'http://127.0.0.1:8080', url: '\\\\evil.com/x' })).toBe('http://127.0.0.1:8080');
  });

  it('an absolute url goes where it says, unless allowAbsoluteUrls is false', () => {
    const origin = requestOriginResolver();
    expect(origin({ baseURL: base, url: 'https://evil.com/x' })).toBe('https://evil.com');
    expect(origin({ baseURL: base, url: 'https://evil.com/x', allowAbsoluteUrls: true })).toBe('https://evil.com');
    expect(origin({ baseURL: base, url: 'HTTPS://API.EXAMPLE.COM:443/x' })).toBe('https://api.example.com');
    expect(origin({ baseURL: base, url: 'https://evil.com/x', allowAbsoluteUrls: false })).toBe(
      'https://api.example.com',
    );
    expect(origin({ url: 'https://api.example.com/x' })).toBe('https://api.example.com');
  });

  it('a protocol-relative url is absolute: in Node it cannot be resolved, so it gets nothing', () => {
    const origin = requestOriginResolver();
    expect(origin({ baseURL: base, url: '//evil.com/x' })).toBeUndefined();
    expect(origin({ url: '//api.example.com/x' })).toBeUndefined();
    expect(onPage('https://api.example.com/app', () => origin({ baseURL: base, url: '//evil.com/x' }))).toBe(
      'https://evil.com',
    );
  });

  it('odd inputs decide nothing (fail closed)', () => {
    const origin = requestOriginResolver();
    expect(origin({})).toBeUndefined();
    expect(origin({ url: '/users' })).toBeUndefined();
    expect(origin({ url: 'not a url' })).toBeUndefined();
    expect(origin({ baseURL: base, url: 42 })).toBeUndefined();
    expect(origin({ baseURL: base, url: new URL('https://api.example.com/x') })).toBeUndefined();
    expect(origin({ baseURL: new URL(base), url: '/users' })).toBeUndefined();
    expect(origin({ url: new URL('https://api.example.com/x') })).toBeUndefined();
  });

  it('reads only own properties: a polluted prototype does not steer it', () => {
    const origin = requestOriginResolver();
    const config = Object.create({ baseURL: base, url: '/users' }) as object;
    expect(origin(config)).toBeUndefined();
  });

  it('a relative baseURL (a browser page) is resolved with the path, so "\\\\host" cannot slip past', () => {
    const origin = requestOriginResolver();
    onPage('https://app.example.com/dashboard', () => {
      expect(origin({ baseURL: '/api', url: '/users' })).toBe('https://app.example.com');
      expect(origin({ baseURL: '/', url: 'users' })).toBe('https://app.example.com');
      // "/" + "\\evil.com" is "/\\evil.com", which a URL parser reads as "//evil.com".
      expect(origin({ baseURL: '/', url: '\\evil.com/x' })).toBe('https://evil.com');
    });
  });

  it('stays right past the number of baseURLs it remembers', () => {
    const origin = requestOriginResolver();
    for (let port = 1000; port < 1100; port++) {
      expect(origin({ baseURL: `http://127.0.0.1:${port}/v1`, url: '/x' })).toBe(`http://127.0.0.1:${port}`);
    }
  });

  it('agrees with axios.getUri wherever axios can build the URL', () => {
    const instance = axios.create();
    const origin = requestOriginResolver();
    const cases: AxiosRequestConfig[] = [];
    // 'http://' joined to 'evil.com' is 'http:/evil.com', which parses as http://evil.com: both agree.
    const bases = [undefined, base, `${base}/`, 'http://127.0.0.1:3000', 'https://user:pw@api.example.com:8443/a/b', 'http://'];
    const urls = [undefined, '', '/x', 'x', 'evil.com', '//evil.com/x', 'https://evil.com', 'ftp://files.example.com/a', '?q=1', '#h', '@evil.com'];
    for (const baseURL of bases) {
      for (const url of urls) {
        for (const allowAbsoluteUrls of [true, false]) cases.push({ baseURL, url, allowAbsoluteUrls });
      }
    }
    for (const config of cases) {
      let expected: string | undefined;
      try {
        expected = new URL(instance.getUri(config)).origin;
      } catch {
        expected = undefined;
      }
      expect([config, origin(config)]).toEqual([config, expected]);
    }
  });
});

describe('the credential follows the origin axios sends to', () => {
  const servers = useTwoApiServers();

  it('an absolute url to the allowed origin gets it; one to another origin does not', async () => {
    const api = axios.create({ baseURL: `${servers.a.url}/v1` });
    attach(api, bearer('personal-token'));
    await api.get(`${servers.a.url}/echo`);
    await api.get(`${servers.b.url}/echo`);
    expect(bearerOf(servers.a.hitsTo('/echo')[0]?.headers ?? {})).toBe('personal-token');
    expect(servers.b.hitsTo('/echo')[0]?.headers.authorization).toBeUndefined();
  });

  it('allowAbsoluteUrls: false sends an absolute url to the baseURL origin, with the credential', async () => {
    const api = axios.create({ baseURL: servers.a.url, allowAbsoluteUrls: false });
    attach(api, bearer('personal-token'));
    await api.get(`${servers.b.url}/echo`, { validateStatus: () => true });
    expect(servers.b.hits).toHaveLength(0);
    expect(bearerOf(servers.a.hits[0]?.headers ?? {})).toBe('personal-token');
  });

  it('a per-request baseURL elsewhere gets nothing; one on the same origin does', async () => {
    const api = axios.create({ baseURL: servers.a.url });
    attach(api, bearer('personal-token'));
    await api.get('/echo', { baseURL: servers.b.url });
    await api.get('/echo', { baseURL: `${servers.a.url}/` });
    expect(servers.b.hitsTo('/echo')[0]?.headers.authorization).toBeUndefined();
    expect(bearerOf(servers.a.hitsTo('/echo')[0]?.headers ?? {})).toBe('personal-token');
  });

  it('a baseURL changed on the instance after attach does not widen the allow-list', async () => {
    const api = axios.create({ baseURL: servers.a.url });
    attach(api, bearer('personal-token'));
    api.defaults.baseURL = servers.b.url;
    await api.get('/echo');
    expect(servers.b.hitsTo('/echo')[0]?.headers.authorization).toBeUndefined();
  });

  it('a protocol-relative url never carries the credential', async () => {
    const api = axios.create({ baseURL: servers.a.url });
    attach(api, bearer('personal-token'));
    const host = new URL(servers.b.url).host;
    const error = await api.get(`//${host}/echo`).catch((e: unknown) => e);
    // Node cannot resolve it; whatever axios does, the credential is not on it.
    expect(servers.b.hits.every((hit) => hit.headers.authorization === undefined)).toBe(true);
    if (error instanceof AxiosError) expect(JSON.stringify(error.toJSON())).not.toContain('personal-token');
  });
});

describe('per-request bookkeeping stays out of sight', () => {
  const servers = useTwoApiServers();

  it('the record of the sent credential shows in no serialisation of the config', async () => {
    const api = axios.create({ baseURL: servers.a.url });
    attach(api, bearer('personal-token'));
    const error = await api.get('/always-401').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AxiosError);
    const config = (error as AxiosError).config!;
    expect(inspect(config, { showHidden: true, depth: 10 })).not.toContain('personal-token');
    expect(JSON.stringify(config)).not.toContain('personal-token');
    expect(JSON.stringify({ ...config })).not.toContain('personal-token');
  });

  it('a surfaced config sent again with skipAuth is not renewed as if it carried the credential', async () => {
    const api = axios.create({ baseURL: servers.a.url });
    let renewals = 0;
    attach(api, {
      ...bearer('personal-token'),
      renewable: true,
      renew: async () => {
        renewals++;
        return null;
      },
    });
    const error = (await api.get('/always-401').catch((e: unknown) => e)) as AxiosError;
    expect(renewals).toBe(1);
    const again = await api.request({ ...error.config, skipAuth: true }).catch((e: unknown) => e);
    expect((again as AxiosError).response?.status).toBe(401);
    expect(renewals).toBe(1);
    expect(servers.a.hitsTo('/always-401')).toHaveLength(2);
    expect(servers.a.hitsTo('/always-401')[1]?.headers.authorization).not.toContain('personal-token');
  });

  it('a config sent again keeps one user beforeRedirect, not a stack of guards', async () => {
    const api = axios.create({ baseURL: servers.a.url });
    attach(api, bearer('personal-token'));
    let calls = 0;
    const first = await api.get('/redirect', {
      params: { to: `${servers.b.url}/echo` },
      beforeRedirect() {
        calls++;
      },
    });
    await api.request(first.config);
    await api.request(first.config);
    expect(calls).toBe(3);
    expect(servers.b.hitsTo('/echo')).toHaveLength(3);
    expect(servers.b.hitsTo('/echo').every((hit) => hit.headers.authorization === undefined)).toBe(true);
  });

  it('requests of a static source share one redirect guard; a changed credential gets its own', async () => {
    const api = axios.create({ baseURL: servers.a.url });
    let token = 'first-token';
    attach(api, {
      ...bearer('unused'),
      credential: async () => ({ headers: { Authorization: `Bearer ${token}` }, query: {}, token, subject: undefined }),
    });
    const fixed = axios.create({ baseURL: servers.a.url });
    attach(fixed, bearer('personal-token'));
    const [one, two] = await Promise.all([fixed.get('/echo'), fixed.get('/echo')]);
    expect(one.config.beforeRedirect).toBe(two.config.beforeRedirect);
    await api.get('/redirect', { params: { to: '/echo' } });
    token = 'second-token';
    await api.get('/redirect', { params: { to: '/echo' } });
    expect(servers.a.hitsTo('/echo').slice(2).map((hit) => bearerOf(hit.headers))).toEqual(['first-token', 'second-token']);
  });
});
