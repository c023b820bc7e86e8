import { errorResponse, OAuthError } from '@auth/core';
import type { FastifyReply } from 'fastify';

/**
 * Send any error in the standard format of `@auth/core` (RFC 6749 / RFC 6750 status, `WWW-Authenticate`,
 * JSON body): the one place this plugin renders errors. Anything that is not a protocol error becomes a
 * 500 `server_error` that reveals nothing, logged by class name only so no secret reaches the log.
 *
 * Use it in your own error handler to render errors the core throws from route handlers (for example
 * `request.signIn.getAccessToken()` when the user is not signed in).
 *
 * @example
 * ```ts
 * app.setErrorHandler(function renderErrors(error, request, reply) {
 *   if (isAuthError(error)) return sendAuthError(reply, error);
 *   reply.send(error);
 * });
 * ```
 */
export function sendAuthError(reply: FastifyReply, error: unknown): FastifyReply {
  if (!(error instanceof OAuthError)) {
    reply.log.error({ error: error instanceof Error ? error.name : typeof error }, '@auth/fastify: unexpected failure');
  }
  const { status, headers, body } = errorResponse(error);
  return reply.code(status).headers(headers).type('application/json; charset=utf-8').send(body);
}
