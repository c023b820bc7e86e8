/**
 * `@auth/nestjs`: `@auth/core` for NestJS, on `@nestjs/platform-express` and `@nestjs/platform-fastify`.
 *
 * - Being an API: `AuthModule.forRoot/forRootAsync`, `AuthGuard` (global or per controller),
 *   `@Public()`, `@Scopes()`, `@AllowMethods()`, `@CurrentPrincipal()`, errors rendered as the core's.
 * - Serving the authorization server and sign-in routes (`authorizationServer`, `signIn`).
 * - Calling APIs: `AuthClientModule.register()` and `@InjectAuthClient()`.
 *
 * The core's errors, types and factories are re-exported, so one import is enough.
 *
 * @module
 */
export * from '@auth/core';
export { AUTH_MODULE_OPTIONS, AUTH_ROUTES, AUTH_SERVER, AUTH_SIGN_IN } from './server/auth-tokens.js';
export { ALLOW_METADATA, PUBLIC_METADATA, SCOPES_METADATA } from './server/route-metadata.js';
export type { AuthModuleExtras, AuthModuleOptions } from './server/auth-module-options.js';
export type { AuthModuleForRootAsyncOptions, AuthModuleForRootOptions } from './server/auth-module-definition.js';
export { AuthModule } from './server/auth-module.js';
export { AuthGuard, type AuthRouteRequirements } from './server/auth-guard.js';
export { AuthException } from './server/auth-exception.js';
export { AuthExceptionFilter } from './server/auth-exception-filter.js';
export { AuthRoutesMiddleware } from './server/auth-routes.middleware.js';
export type { AuthRoute } from './server/auth-route.js';
export { type AuthRequestContext, requestContext } from './server/request-context.js';
export { Public } from './server/public.decorator.js';
export { Scopes } from './server/scopes.decorator.js';
export { AllowMethods } from './server/allow-methods.decorator.js';
export { type AuthenticatedRequest, CurrentPrincipal } from './server/current-principal.decorator.js';
export { InjectSignIn } from './server/inject-sign-in.decorator.js';
export type { HttpRequestLike } from './http/http-request.js';
export { type NodeRequest, toWebRequest, type WebRequestParts } from './http/web-request.js';
export { sendWebResponse } from './http/web-response.js';
export { type AuthClient, type AuthClientOptions, createAuthClient } from './client/auth-client.js';
export { DEFAULT_AUTH_CLIENT, getAuthClientToken } from './client/auth-client-tokens.js';
export type {
  AuthClientExtras,
  AuthClientRegisterAsyncOptions,
  AuthClientRegisterOptions,
} from './client/auth-client-module-definition.js';
export { AuthClientModule } from './client/auth-client-module.js';
export { InjectAuthClient } from './client/inject-auth-client.decorator.js';
