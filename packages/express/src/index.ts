/**
 * `@auth/express`: `@auth/core` for Express 4 and 5.
 *
 * - {@link authenticate}: protect routes, `req.auth` is the caller's `Principal`.
 * - {@link authorizationServer}: mount the OAuth 2.0 authorization server.
 * - {@link signInRoutes}: sign users in to another API, `req.signIn` gets a fresh token or a `fetch`.
 * - {@link managementRoutes}: credential management for the signed-in user.
 *
 * The core's errors, types and factories are re-exported, so one import is enough.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { authenticate, createAuthServer, memoryAuthStore } from '@auth/express';
 *
 * const auth = createAuthServer({ issuer: 'https://api.example.com', store: memoryAuthStore(), secrets: [secret] });
 * const app = express();
 * app.get('/me', authenticate(auth), (req, res) => res.json(req.auth));
 * ```
 *
 * @module
 */
import './request-augmentation.js';

export * from '@auth/core';
export { authenticate, type AuthenticateOptions, type Verifies } from './authenticate.js';
export { authErrorHandler, type AuthErrorHandlerOptions } from './auth-error-handler.js';
export { authorizationServer } from './authorization-server.js';
export { signInRoutes } from './sign-in-routes.js';
export { managementRoutes } from './management-routes.js';
export type { RequestSignIn } from './request-sign-in.js';
export { sendAuthError } from './send-auth-error.js';
export { toWebRequest, type WebRequestParts } from './web-request.js';
export { formBody } from './form-body.js';
export { sendWebResponse } from './web-response.js';
