import { describe, expect, it } from 'vitest';
import { ConfigError, CsrfError, errorResponse } from '../../../src/errors.js';
import { createServerContext } from '../../../src/server/context.js';
import { createSessionCookies, type SessionCookieOptions } from '../../../src/server/cookies/session-cookies.js';
import { memoryAuthStore } from '../../../src/store/memory-auth-store.js';
import { SECRET_A, SECRET_B, T0 } from '../verify/fixtures.js';

function cookies(options: SessionCookieOptions = {}, secrets = [SECRET_A], issuer = 'https://app.example.com') {
  const clock = { now: T0 };
  const ctx = createServerContext({ issuer, store: memoryAuthStore(), secrets, now: () => clock.now });
  return { sessions: createSessionCookies(ctx, options), clock, ctx };
}

const cookieHeader = (name: string, value: string) => `theme=dark; ${name}=${value}; other=1`;

describe('sealed session cookies (seed 003)', () => {
  it('issues a Secure, HttpOnly, SameSite=Lax, __Host- cookie whose value reveals nothing', () => {
    const { sessions } = cookies();
    const issued = sessions.issue({ userId: 'user-42', businessId: 'biz-7', scopes: ['read'] });
    expect(issued.setCookie).toBe(
      `__Host-auth_session=${issued.value}; Max-Age=43200; Expires=${new Date(T0 + 43_200_000).toUTCString()}; Path=/; Secure; HttpOnly; SameSite=Lax`,
    );
    expect(issued.value).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(issued.value).not.toContain('user-42');
    expect(Buffer.from(issued.value.split('.')[3]!, 'base64url').toString('latin1')).not.toContain('user-42');
    expect(issued.session).toMatchObject({ userId: 'user-42', businessId: 'biz-7', scopes: ['read'], issuedAt: T0 });
    expect(issued.csrfToken).toBe(issued.session.csrfToken);
  });

  it('reads back what it issued, with the same CSRF token', async () => {
    const { sessions } = cookies();
    const issued = sessions.issue({ userId: 'u1', id: 'session-1' });
    const session = await sessions.read(cookieHeader(sessions.name, issued.value));
    expect(session).toEqual(issued.session);
    expect(session?.id).toBe('session-1');
    expect(await sessions.read(undefined)).toBeNull();
    expect(await sessions.read('theme=dark')).toBeNull();
  });

  it('refuses tampered, truncated and extended values', async () => {
    const { sessions } = cookies();
    const { value } = sessions.issue({ userId: 'u1' });
    const at = value.length - 10;
    const flipped = value.slice(0, at) + (value[at] === 'A' ? 'B' : 'A') + value.slice(at + 1);
    for (const bad of [flipped, value.slice(0, -1), value.slice(0, 20), `${value}A`, '', 'v1....', value.replace('v1', 'v2')]) {
      expect(await sessions.inspect(cookieHeader(sessions.name, bad))).toEqual({ status: 'invalid', reason: 'invalid' });
    }
  });

  it('binds the cookie name: a value cannot be swapped into another cookie', async () => {
    const { ctx } = cookies();
    const a = createSessionCookies(ctx, { name: 'session_a' });
    const b = createSessionCookies(ctx, { name: 'session_b' });
    const issued = a.issue({ userId: 'u1' });
    expect(await a.read(`session_a=${issued.value}`)).not.toBeNull();
    expect(await b.read(`session_b=${issued.value}`)).toBeNull();
  });

  it('expires inside the seal, whatever the browser keeps', async () => {
    const { sessions, clock } = cookies({ maxAge: '10m' });
    const { value, setCookie } = sessions.issue({ userId: 'u1' });
    expect(setCookie).toContain('Max-Age=600;');
    clock.now += 599_000;
    expect(await sessions.read(`${sessions.name}=${value}`)).not.toBeNull();
    clock.now += 1_000;
    expect(await sessions.read(`${sessions.name}=${value}`)).toBeNull();
  });

  it('rotates keys: the new key seals, old keys open, a retired key fails', async () => {
    const before = cookies({}, [SECRET_A]);
    const old = before.sessions.issue({ userId: 'u1' });
    const during = cookies({}, [SECRET_B, SECRET_A]);
    expect(await during.sessions.read(`${during.sessions.name}=${old.value}`)).not.toBeNull();
    const fresh = during.sessions.issue({ userId: 'u1' });
    const after = cookies({}, [SECRET_B]);
    expect(await after.sessions.read(`${after.sessions.name}=${fresh.value}`)).not.toBeNull();
    expect(await after.sessions.read(`${after.sessions.name}=${old.value}`)).toBeNull();
  });

  it('treats several cookies of its name as suspicious (cookie tossing)', async () => {
    const { sessions } = cookies({ name: 'sid' });
    const one = sessions.issue({ userId: 'u1' }).value;
    const two = sessions.issue({ userId: 'u2' }).value;
    expect(await sessions.inspect(`sid=${one}; sid=${two}`)).toEqual({ status: 'invalid', reason: 'duplicate' });
    expect(await sessions.inspect([`sid=${one}`, 'x=1'])).toMatchObject({ status: 'valid' });
  });

  it('consults the revocation hook on every read', async () => {
    const revoked = new Set<string>();
    const { sessions } = cookies({ isRevoked: async (id) => revoked.has(id) });
    const issued = sessions.issue({ userId: 'u1' });
    const header = `${sessions.name}=${issued.value}`;
    expect(await sessions.read(header)).not.toBeNull();
    revoked.add(issued.session.id);
    expect(await sessions.inspect(header)).toEqual({ status: 'invalid', reason: 'revoked' });
  });

  it('clears with the same attributes and Max-Age=0', () => {
    const { sessions } = cookies({ name: 'sid', domain: 'example.com', path: '/api', sameSite: 'Strict' });
    expect(sessions.clear()).toBe(
      'sid=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/api; Domain=example.com; Secure; HttpOnly; SameSite=Strict',
    );
  });

  it('validates options at construction', () => {
    expect(() => cookies({ secure: false })).toThrow(ConfigError);
    const dev = cookies({ secure: false }, [SECRET_A], 'http://localhost:3000');
    expect(dev.sessions.name).toBe('auth_session');
    expect(dev.sessions.issue({ userId: 'u' }).setCookie).not.toContain('Secure');
    expect(() => cookies({ secure: false, sameSite: 'None' }, [SECRET_A], 'http://127.0.0.1:3000')).toThrow(ConfigError);
    expect(() => cookies({ name: '__Host-x', domain: 'example.com' })).toThrow(ConfigError);
    expect(() => cookies({ name: 'bad name' })).toThrow(ConfigError);
    expect(() => cookies({ path: 'relative' })).toThrow(ConfigError);
    expect(() => cookies({ domain: 'exa mple.com' })).toThrow(ConfigError);
    expect(() => cookies({ maxAge: '1x' as never })).toThrow(ConfigError);
    expect(() => cookies({ csrf: { trustedOrigins: ['https://app.example.com/path'] } })).toThrow(ConfigError);
    expect(cookies({ domain: 'example.com' }).sessions.name).toBe('auth_session');
  });
});

describe('CSRF protection', () => {
  const unsafe = { secFetchSite: undefined, origin: undefined };

  it('derives one token per session, unknown to other sessions', async () => {
    const { sessions } = cookies();
    const a = sessions.issue({ userId: 'u1' });
    const b = sessions.issue({ userId: 'u1' });
    expect(a.csrfToken).not.toBe(b.csrfToken);
    expect(a.csrfToken).toMatch(/^[\w-]{43}$/);
    expect(() => sessions.assertCsrf(a.session, { httpMethod: 'POST', token: b.csrfToken, ...unsafe })).toThrow(CsrfError);
  });

  it('lets safe methods through and demands the token on every other method', () => {
    const { sessions } = cookies();
    const { session, csrfToken } = sessions.issue({ userId: 'u1' });
    for (const m of ['GET', 'head', 'OPTIONS']) {
      expect(() => sessions.assertCsrf(session, { httpMethod: m, token: undefined, ...unsafe })).not.toThrow();
    }
    for (const m of ['POST', 'put', 'PATCH', 'DELETE', 'PROPFIND', undefined]) {
      expect(() => sessions.assertCsrf(session, { httpMethod: m, token: undefined, ...unsafe })).toThrow(CsrfError);
      expect(() => sessions.assertCsrf(session, { httpMethod: m, token: csrfToken, ...unsafe })).not.toThrow();
    }
    let caught: unknown;
    try {
      sessions.assertCsrf(session, { httpMethod: 'POST', token: 'nope', ...unsafe });
    } catch (err) {
      caught = err;
    }
    const r = errorResponse(caught);
    expect(r.status).toBe(403);
    expect(r.body.error).toBe('invalid_request');
  });

  it('refuses cross-site requests even with a token, and checks Origin', () => {
    const { sessions } = cookies({ csrf: { trustedOrigins: ['https://app.example.com', 'https://admin.example.com'] } });
    const { session, csrfToken: token } = sessions.issue({ userId: 'u1' });
    const post = (secFetchSite?: string, origin?: string) => () =>
      sessions.assertCsrf(session, { httpMethod: 'POST', token, secFetchSite, origin });
    expect(post('same-origin', 'https://app.example.com')).not.toThrow();
    expect(post(undefined, 'https://admin.example.com')).not.toThrow();
    expect(post('none')).not.toThrow();
    expect(post('cross-site')).toThrow(CsrfError);
    expect(post('same-site')).toThrow(CsrfError);
    expect(post(undefined, 'https://evil.example')).toThrow(CsrfError);
    expect(post(undefined, 'null')).toThrow(CsrfError);
    const lax = cookies({ csrf: { allowSameSite: true } });
    const s2 = lax.sessions.issue({ userId: 'u1' });
    expect(() =>
      lax.sessions.assertCsrf(s2.session, { httpMethod: 'POST', token: s2.csrfToken, secFetchSite: 'same-site', origin: undefined }),
    ).not.toThrow();
  });
});
