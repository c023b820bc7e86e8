import { AuthError, errorResponse, isAuthError } from '@auth/core';
import { type ArgumentsHost, Catch, type ExceptionFilter, Inject, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AuthException } from './auth-exception.js';

/**
 * Renders `AuthException` (thrown by `AuthGuard`) and any `@auth/core` error a handler lets escape
 * (for example an `OAuthError` 404 from `auth.apiKeys.revoke`) with the core's `errorResponse()`:
 * status, headers and JSON body, the same on Express and Fastify. `AuthModule` registers it globally;
 * anything else goes on to Nest's other filters.
 *
 * @example
 * ```ts
 * app.useGlobalFilters(new AuthExceptionFilter(app.get(HttpAdapterHost)));
 * ```
 */
@Catch(AuthException, AuthError)
export class AuthExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('AuthExceptionFilter');

  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const parts =
      exception instanceof AuthException
        ? { status: exception.getStatus(), headers: exception.headers, body: exception.body }
        : errorResponse(exception);
    if (parts.status >= 500) {
      // Name and code only: messages of store or network errors can carry connection strings.
      const cause = exception instanceof AuthException ? exception.cause : exception;
      this.logger.error(
        `auth: unexpected ${cause instanceof Error ? cause.name : typeof cause}${isAuthError(cause) ? ` (${cause.code})` : ''}`,
      );
    }
    const adapter = this.adapterHost.httpAdapter;
    const response: unknown = host.switchToHttp().getResponse();
    for (const [name, value] of Object.entries(parts.headers)) adapter.setHeader(response, name, value);
    adapter.reply(response, parts.body, parts.status);
  }
}
