import { ConfigurableModuleBuilder } from '@nestjs/common';
import { type AuthClientOptions, createAuthClient } from './auth-client.js';
import { AUTH_CLIENT_OPTIONS, DEFAULT_AUTH_CLIENT, getAuthClientToken } from './auth-client-tokens.js';

/** Options of `AuthClientModule` known at import time, even with `registerAsync()`. */
export interface AuthClientExtras {
  /** The client's name, for `@InjectAuthClient(name)`. Default `'default'`. */
  name?: string;
  /** Make the client injectable in every module. Default `false`. */
  isGlobal?: boolean;
}

/** `AuthClientModule`'s `register` / `registerAsync`; each registration exports one named `AuthClient`. */
export const {
  ConfigurableModuleClass: AuthClientConfigurableModule,
  OPTIONS_TYPE: AUTH_CLIENT_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: AUTH_CLIENT_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<AuthClientOptions>({ optionsInjectionToken: AUTH_CLIENT_OPTIONS })
  .setClassMethodName('register')
  .setExtras<AuthClientExtras>({ name: DEFAULT_AUTH_CLIENT, isGlobal: false }, (definition, extras) => {
    const name = extras.name ?? DEFAULT_AUTH_CLIENT;
    const token = getAuthClientToken(name);
    return {
      ...definition,
      global: extras.isGlobal === true,
      providers: [
        ...(definition.providers ?? []),
        { provide: token, useFactory: (options: AuthClientOptions) => createAuthClient(name, options), inject: [AUTH_CLIENT_OPTIONS] },
      ],
      exports: [...(definition.exports ?? []), token],
    };
  })
  .build();

/** What `AuthClientModule.register()` takes. */
export type AuthClientRegisterOptions = typeof AUTH_CLIENT_OPTIONS_TYPE;
/** What `AuthClientModule.registerAsync()` takes. */
export type AuthClientRegisterAsyncOptions = typeof AUTH_CLIENT_ASYNC_OPTIONS_TYPE;
