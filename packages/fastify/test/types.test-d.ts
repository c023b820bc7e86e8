/** The public types: declaration merging, route config, options union and the accessors. */
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { describe, expectTypeOf, it } from 'vitest';
import fastifyAuth, {
  type AuthServer,
  type AuthenticateHook,
  type FastifyAuthOptions,
  type ManagementHandler,
  type Principal,
  type RequestSignIn,
  type RouteAuthConfig,
  type SignIn,
  type SignInSession,
  fastifyAuth as named,
  sendAuthError,
} from '../src/index.js';

declare const auth: AuthServer;
declare const signIn: SignIn;
declare const management: ManagementHandler;

describe('@auth/fastify types', () => {
  it('merges auth and signIn into the request, authenticate and signIn into the instance', () => {
    expectTypeOf<FastifyRequest['auth']>().toEqualTypeOf<Principal | null>();
    expectTypeOf<FastifyRequest['signIn']>().toEqualTypeOf<RequestSignIn>();
    expectTypeOf<RequestSignIn['getAccessToken']>().returns.resolves.toBeString();
    expectTypeOf<RequestSignIn['getSession']>().returns.resolves.toEqualTypeOf<SignInSession | null>();
    const app = Fastify();
    expectTypeOf(app.authenticate).toEqualTypeOf<AuthenticateHook>();
    expectTypeOf(app.signIn).toEqualTypeOf<SignIn>();
    expectTypeOf(named).toEqualTypeOf(fastifyAuth);
  });

  it('types route config.auth', () => {
    const app = Fastify();
    app.get('/a', { config: { auth: false } }, async () => 'ok');
    app.get('/b', { config: { auth: { scopes: ['write'], allow: ['secret'] } } }, async () => 'ok');
    app.get('/c', { onRequest: app.authenticate }, async () => 'ok');
    // @ts-expect-error unknown method
    app.get('/d', { config: { auth: { allow: ['password'] } } }, async () => 'ok');
    // @ts-expect-error scopes are a list
    app.get('/e', { config: { auth: { scopes: 'write' } } }, async () => 'ok');
    expectTypeOf<false>().toExtend<RouteAuthConfig>();
  });

  it('accepts an API registration or a sign-in-only one, and nothing half-way', () => {
    expectTypeOf({ auth }).toExtend<FastifyAuthOptions>();
    expectTypeOf({ auth, authorizationServer: true, signIn, management, hook: 'preHandler' as const }).toExtend<FastifyAuthOptions>();
    expectTypeOf({ signIn }).toExtend<FastifyAuthOptions>();
    expectTypeOf({ signIn, authorizationServer: true as const }).not.toExtend<FastifyAuthOptions>();
    expectTypeOf({ signIn, management }).not.toExtend<FastifyAuthOptions>();
    expectTypeOf({}).not.toExtend<FastifyAuthOptions>();
    const app = Fastify();
    void app.register(fastifyAuth, { auth });
    // @ts-expect-error auth is required unless only signing in
    void app.register(fastifyAuth, { authorizationServer: true });
  });

  it('sendAuthError takes a reply and any error', () => {
    expectTypeOf(sendAuthError).parameters.toEqualTypeOf<[FastifyReply, unknown]>();
  });
});
