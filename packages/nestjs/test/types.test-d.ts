import type { DynamicModule, ExecutionContext } from '@nestjs/common';
import { describe, expectTypeOf, it } from 'vitest';
import {
  AllowMethods,
  type AuthClient,
  AuthClientModule,
  AuthException,
  AuthGuard,
  AuthModule,
  type AuthModuleOptions,
  type AuthRequestContext,
  type AuthServer,
  bearer,
  CurrentPrincipal,
  getAuthClientToken,
  InsufficientScopeError,
  type Principal,
  Scopes,
} from '../src/index.js';

declare const server: AuthServer;

describe('public types', () => {
  it('forRoot and forRootAsync return dynamic modules and take the extras', () => {
    expectTypeOf(AuthModule.forRoot({ server, isGlobal: true, globalGuard: true })).toEqualTypeOf<DynamicModule>();
    expectTypeOf(AuthModule.forRootAsync({ useFactory: (): AuthModuleOptions => ({ server }), inject: [] })).toEqualTypeOf<DynamicModule>();
    // @ts-expect-error server is required
    AuthModule.forRoot({ authorizationServer: true });
  });

  it('decorators are typed', () => {
    AllowMethods('secret', 'cookie');
    // @ts-expect-error not an authentication method
    AllowMethods('password');
    expectTypeOf(Scopes).parameters.toEqualTypeOf<string[]>();
    expectTypeOf(CurrentPrincipal).parameter(0).toEqualTypeOf<keyof Principal | undefined>();
  });

  it('guard hooks are protected and overridable with the documented signatures', () => {
    class MyGuard extends AuthGuard {
      protected override getRequestContext(context: ExecutionContext): AuthRequestContext {
        return super.getRequestContext(context);
      }
      protected override async onAuthenticated(principal: Principal, context: ExecutionContext) {
        await super.onAuthenticated(principal, context);
      }
      protected override handleError(error: unknown, context: ExecutionContext) {
        return super.handleError(error, context);
      }
    }
    // @ts-expect-error hooks are not public
    new MyGuard(server, {} as never).onAuthenticated;
  });

  it('clients', () => {
    expectTypeOf(AuthClientModule.register({ name: 'crm', source: bearer('x') })).toEqualTypeOf<DynamicModule>();
    expectTypeOf<AuthClient['getAccessToken']>().toEqualTypeOf<(subject?: string) => Promise<string>>();
    expectTypeOf(getAuthClientToken('crm')).toEqualTypeOf<symbol>();
    // @ts-expect-error a source is required
    AuthClientModule.register({ name: 'crm' });
  });

  it('AuthException carries the core parts', () => {
    const e = new AuthException(new InsufficientScopeError());
    expectTypeOf(e.headers).toEqualTypeOf<Readonly<Record<string, string>>>();
    expectTypeOf(e.body.error).toEqualTypeOf<string>();
  });
});
