/** Registration-time validation: every mistake fails at startup with a clear message, never per request. */
import { createAdapterFixture, type AdapterFixture } from '@auth/testkit';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fastifyAuth, { authorizationCode, ConfigError, createSignIn, type FastifyAuthOptions } from '../src/index.js';

let fixture: AdapterFixture;
beforeAll(async () => {
  fixture = await createAdapterFixture();
});
afterAll(() => fixture.close());

async function register(options: unknown): Promise<unknown> {
  const app = Fastify();
  try {
    await app.register(fastifyAuth, options as FastifyAuthOptions);
    await app.ready();
    return null;
  } catch (error) {
    return error;
  } finally {
    await app.close();
  }
}

describe('plugin options are validated at registration', () => {
  it('refuses a missing or wrong `auth`', async () => {
    for (const options of [{}, { auth: undefined }, { auth: {} }, { auth: { verify: 'x' } }]) {
      const error = await register(options);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain('`auth` is required');
    }
  });

  it('refuses unknown options (a typo must not silently turn a feature off)', async () => {
    const error = await register({ auth: fixture.auth, authorisationServer: true });
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('unknown option `authorisationServer`');
  });

  it('refuses bad values for hook, booleans, signIn and prefix', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ hook: 'onSend' }, '`hook` must be'],
      [{ protectAllRoutes: 'yes' }, '`protectAllRoutes` must be true or false'],
      [{ authorizationServer: 1 }, '`authorizationServer` must be true or false'],
      [{ signIn: { handle: 1 } }, '`signIn` must come from createSignIn'],
      [{ prefix: '/auth' }, '`prefix` does not apply'],
    ];
    for (const [extra, message] of cases) {
      const error = await register({ auth: fixture.auth, ...extra });
      expect(error, message).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain(message);
    }
  });

  it('lets an app that only signs users in leave `auth` out, and nothing else', async () => {
    const signIn = createSignIn({
      grant: authorizationCode({
        authorizationEndpoint: 'https://as.example.com/authorize',
        tokenEndpoint: 'https://as.example.com/token',
        clientId: 'c',
        redirectUri: 'https://app.example.com/auth/callback',
      }),
      secrets: ['sign-in-secret-0123456789-abcdefghijklmnop'],
    });
    expect(await register({ signIn })).toBeNull();
    for (const extra of [{ authorizationServer: true }, { protectAllRoutes: true }, { management: {} }]) {
      const error = await register({ signIn, ...extra });
      expect(error, JSON.stringify(extra)).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain('`auth` is required');
    }
    const app = Fastify();
    await app.register(fastifyAuth, { signIn });
    expect(() => app.get('/x', { onRequest: app.authenticate }, async () => 'x')).toThrow('fastify.authenticate needs the `auth` option');
    await app.close();
  });

  it('refuses a `management` that is not a createManagementHandler(...)', async () => {
    const error = await register({ auth: fixture.auth, management: { handle() {} } });
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('`management` must come from createManagementHandler');
  });

  it('accepts a valid registration', async () => {
    expect(await register({ auth: fixture.auth, hook: 'preHandler', authorizationServer: true })).toBeNull();
  });
});

describe('route config.auth is validated when the route is registered', () => {
  const bad: [unknown, string][] = [
    ['public', 'must be false, true or { scopes?, allow? }'],
    [{ scope: ['write'] }, 'unknown key "scope"'],
    [{ scopes: 'write' }, 'config.auth.scopes of GET /x must be a list'],
    [{ allow: ['password'] }, 'config.auth.allow of GET /x must list methods'],
    [{ allow: [] }, 'config.auth.allow of GET /x must list methods'],
  ];
  for (const [value, message] of bad) {
    it(`refuses ${JSON.stringify(value)}`, async () => {
      const app = Fastify();
      await app.register(fastifyAuth, { auth: fixture.auth });
      expect(() => app.get('/x', { config: { auth: value as false } }, async () => 'x')).toThrow(message);
      await app.close();
    });
  }
});

describe('accessors without their feature', () => {
  it('request.signIn and fastify.signIn explain that sign-in is not configured', async () => {
    const app = Fastify();
    await app.register(fastifyAuth, { auth: fixture.auth });
    app.get('/x', { config: { auth: false } }, async (request) => {
      expect(() => request.signIn).toThrow('sign-in is not configured');
      return { ok: true };
    });
    await app.ready();
    expect(() => app.signIn).toThrow(ConfigError);
    expect((await app.inject('/x')).statusCode).toBe(200);
    await app.close();
  });
});
