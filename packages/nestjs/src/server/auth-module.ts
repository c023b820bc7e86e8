import type { SignIn } from '@auth/core';
import { Inject, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AuthExceptionFilter } from './auth-exception-filter.js';
import { AuthGuard } from './auth-guard.js';
import { AuthConfigurableModule } from './auth-module-definition.js';
import type { AuthModuleOptions } from './auth-module-options.js';
import type { AuthRoute } from './auth-route.js';
import { authRoutes, validateAuthModuleOptions } from './auth-routes.js';
import { AuthRoutesMiddleware } from './auth-routes.middleware.js';
import { AUTH_MODULE_OPTIONS, AUTH_ROUTES, AUTH_SERVER, AUTH_SIGN_IN } from './auth-tokens.js';

/**
 * Wires `@auth/core` into a Nest application: provides the `AuthServer` (`AUTH_SERVER`) and `AuthGuard`,
 * renders the core's errors (`AuthExceptionFilter`), and serves the authorization server and sign-in
 * routes when asked to. Works on `@nestjs/platform-express` and `@nestjs/platform-fastify`.
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [
 *     AuthModule.forRootAsync({
 *       isGlobal: true,
 *       globalGuard: true,
 *       inject: [ConfigService],
 *       useFactory: (config: ConfigService) => ({
 *         server: createAuthServer({ issuer: config.get('ISSUER'), store, secrets: [config.get('AUTH_SECRET')] }),
 *         authorizationServer: true,
 *       }),
 *     }),
 *   ],
 * })
 * export class AppModule {}
 * ```
 */
@Module({
  providers: [
    {
      provide: AUTH_SERVER,
      useFactory: (options: AuthModuleOptions) => validateAuthModuleOptions(options).server,
      inject: [AUTH_MODULE_OPTIONS],
    },
    {
      provide: AUTH_SIGN_IN,
      useFactory: (options: AuthModuleOptions): SignIn | null => validateAuthModuleOptions(options).signIn ?? null,
      inject: [AUTH_MODULE_OPTIONS],
    },
    {
      provide: AUTH_ROUTES,
      useFactory: (options: AuthModuleOptions) => authRoutes(validateAuthModuleOptions(options)),
      inject: [AUTH_MODULE_OPTIONS],
    },
    { provide: APP_FILTER, useClass: AuthExceptionFilter },
    AuthGuard,
  ],
  exports: [AUTH_SERVER, AUTH_SIGN_IN, AUTH_MODULE_OPTIONS, AuthGuard],
})
export class AuthModule extends AuthConfigurableModule implements NestModule {
  constructor(@Inject(AUTH_ROUTES) private readonly routes: readonly AuthRoute[]) {
    super();
  }

  configure(consumer: MiddlewareConsumer): void {
    // Every path: the core decides what it serves (`matches`), so the paths are configured in one place.
    if (this.routes.length > 0) consumer.apply(AuthRoutesMiddleware).forRoutes('*');
  }
}
