import * as core from '@auth/core';
import type { NextRequest } from 'next/server.js';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type AuthProxy,
  authProxy,
  createNextAuth,
  createProviderRoutes,
  createWithAuth,
  type NextAuthSession,
  OAuthError,
  type Principal,
  type RouteContext,
} from '../src/index.js';

/** The shape `next build` checks Route Handler exports against (Next.js 16 RouteHandlerConfig). */
// biome-ignore lint/suspicious/noConfusingVoidType: copied from Next.js's generated RouteHandlerConfig
type NextRouteHandler<Params> = (request: NextRequest, context: { params: Promise<Params> }) => Promise<Response | void> | Response | void;

declare const signIn: core.SignIn;
declare const server: core.AuthServer;

describe('@auth/next public types', () => {
  it('sign-in handlers and provider routes fit Next.js route exports', () => {
    const { handlers } = createNextAuth({ signIn });
    expectTypeOf(handlers.GET).toExtend<NextRouteHandler<{ auth: string[] }>>();
    expectTypeOf(handlers.POST).toExtend<NextRouteHandler<{ auth: string[] }>>();
    const provider = createProviderRoutes(server);
    expectTypeOf(provider.GET).toExtend<NextRouteHandler<{ oauth: string[] }>>();
    expectTypeOf(provider.POST).toExtend<NextRouteHandler<Record<string, never>>>();
  });

  it('withAuth passes the principal and keeps typed params', () => {
    const withAuth = createWithAuth(server);
    const route = withAuth<RouteContext<{ id: string }>>(async (request, context) => {
      expectTypeOf(request).toEqualTypeOf<Request>();
      expectTypeOf(context.principal).toEqualTypeOf<Principal>();
      expectTypeOf(context.params).toEqualTypeOf<Promise<{ id: string }>>();
      return new Response();
    });
    expectTypeOf(route).toExtend<NextRouteHandler<{ id: string }>>();
    const untyped = withAuth(async (_request, { principal }) => Response.json(principal.scopes), { scopes: ['read'], allow: ['secret'] });
    expectTypeOf(untyped).toExtend<NextRouteHandler<{}>>();
    // @ts-expect-error not an auth method
    withAuth(async () => new Response(), { allow: ['password'] });
    // @ts-expect-error a handler must answer with a Response
    withAuth(async () => 'text');
  });

  it('auth() resolves to a session without the session id, or null', () => {
    const nextAuth = createNextAuth({ signIn });
    expectTypeOf(nextAuth.auth()).toEqualTypeOf<Promise<NextAuthSession | null>>();
    expectTypeOf<NextAuthSession>().not.toHaveProperty('sessionId');
    expectTypeOf<NextAuthSession['accessToken']>().toEqualTypeOf<string | undefined>();
    expectTypeOf(nextAuth.getAccessToken).toBeCallableWith();
    expectTypeOf(nextAuth.getAccessToken).toBeCallableWith(new Request('http://x'));
    // @ts-expect-error `from` takes a request, headers or a Cookie header, not null
    nextAuth.auth({ from: null });
  });

  it('proxy helpers return a redirect or undefined', () => {
    expectTypeOf(createNextAuth({ signIn }).proxy()).toEqualTypeOf<AuthProxy>();
    expectTypeOf(authProxy({ isSignedIn: () => true, loginPath: '/auth/login' })).returns.toEqualTypeOf<Promise<Response | undefined>>();
    expectTypeOf<AuthProxy>().toExtend<(request: NextRequest) => Promise<Response | undefined>>();
  });

  it('re-exports the core: same classes, same types', () => {
    expectTypeOf(OAuthError).toEqualTypeOf(core.OAuthError);
    expectTypeOf<Principal>().toEqualTypeOf<core.Principal>();
  });
});
