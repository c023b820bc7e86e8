import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type AuthenticateOptions,
  type AuthServer,
  authenticate,
  authErrorHandler,
  authorizationServer,
  errorResponse,
  type ErrorResponseParts,
  formBody,
  InsufficientScopeError,
  type ManagementHandler,
  managementRoutes,
  type OAuthServer,
  type PreParsedBody,
  type Principal,
  type RequestSignIn,
  type SignIn,
  type SignInSession,
  signInRoutes,
  toWebRequest,
} from '../src/index.js';

declare const auth: AuthServer;
declare const signIn: SignIn;
declare const req: Request;

describe('request augmentation', () => {
  it('types req.auth as an optional Principal and req.signIn as optional accessors', () => {
    expectTypeOf(req.auth).toEqualTypeOf<Principal | undefined>();
    expectTypeOf(req.signIn).toEqualTypeOf<RequestSignIn | undefined>();
    expectTypeOf<RequestSignIn['getAccessToken']>().returns.toEqualTypeOf<Promise<string>>();
    expectTypeOf<RequestSignIn['session']>().returns.toEqualTypeOf<Promise<SignInSession | null>>();
    expectTypeOf<ReturnType<RequestSignIn['fetch']>>().toEqualTypeOf<Promise<Response>>();
  });
});

describe('middleware factories', () => {
  it('return Express handlers', () => {
    expectTypeOf(authenticate(auth)).toEqualTypeOf<RequestHandler>();
    expectTypeOf(authErrorHandler()).toEqualTypeOf<ErrorRequestHandler>();
    expectTypeOf(authorizationServer(auth)).toEqualTypeOf<RequestHandler>();
    expectTypeOf(authorizationServer(auth.oauth as OAuthServer)).toEqualTypeOf<RequestHandler>();
    expectTypeOf(signInRoutes(signIn)).toEqualTypeOf<RequestHandler>();
    expectTypeOf(managementRoutes(auth, { basePath: '/settings' })).toEqualTypeOf<RequestHandler>();
    expectTypeOf(managementRoutes).toBeCallableWith(auth, {} as ManagementHandler);
  });

  it('check their options', () => {
    expectTypeOf<AuthenticateOptions>().toHaveProperty('scopes').toEqualTypeOf<readonly string[] | undefined>();
    authenticate(auth, { scopes: ['write'], allow: ['secret', 'personal_token'], optional: true });
    // @ts-expect-error scopes is a list
    authenticate(auth, { scopes: 'write' });
    // @ts-expect-error not a scheme
    authenticate(auth, { allow: ['basic'] });
    // @ts-expect-error needs the auth server
    authorizationServer('https://issuer.example');
  });
});

describe('re-exports and glue', () => {
  it('re-exports the core so one import is enough', () => {
    expectTypeOf(errorResponse(new InsufficientScopeError())).toEqualTypeOf<ErrorResponseParts>();
    expectTypeOf(toWebRequest(req).request).toEqualTypeOf<globalThis.Request>();
    expectTypeOf(formBody).returns.toEqualTypeOf<PreParsedBody | undefined>();
  });
});
