import { ConfigurableModuleBuilder, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { AuthModuleExtras, AuthModuleOptions } from './auth-module-options.js';
import { AUTH_MODULE_OPTIONS } from './auth-tokens.js';
import { AuthGuard } from './auth-guard.js';

/**
 * `AuthModule`'s `forRoot` / `forRootAsync`, built the way `@nestjs/cache-manager` builds its module.
 * The extras are read at import time, so they also work when the options come from an async factory.
 */
export const {
  ConfigurableModuleClass: AuthConfigurableModule,
  OPTIONS_TYPE: AUTH_MODULE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: AUTH_MODULE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<AuthModuleOptions>({ optionsInjectionToken: AUTH_MODULE_OPTIONS })
  .setClassMethodName('forRoot')
  .setExtras<AuthModuleExtras>({ isGlobal: false, globalGuard: false }, (definition, extras) => {
    const guard: Provider[] = extras.globalGuard ? [{ provide: APP_GUARD, useClass: AuthGuard }] : [];
    return { ...definition, global: extras.isGlobal === true, providers: [...(definition.providers ?? []), ...guard] };
  })
  .build();

/** What `AuthModule.forRoot()` takes: the options plus the import-time extras. */
export type AuthModuleForRootOptions = typeof AUTH_MODULE_OPTIONS_TYPE;
/** What `AuthModule.forRootAsync()` takes: `useFactory` + `inject`, `useClass` or `useExisting`, plus the extras. */
export type AuthModuleForRootAsyncOptions = typeof AUTH_MODULE_ASYNC_OPTIONS_TYPE;
