import { errorResponse, type OAuthErrorBody } from '@auth/core';
import { HttpException } from '@nestjs/common';

/**
 * An `HttpException` carrying exactly what the core's `errorResponse()` renders for an error: status,
 * JSON body and headers (`WWW-Authenticate`, `Cache-Control`). `AuthGuard` throws it and
 * `AuthExceptionFilter` sends it; Nest's default filter would send the same status and body, without
 * the headers.
 *
 * @example
 * ```ts
 * throw new AuthException(new InsufficientScopeError(undefined, { scope: 'write' }));
 * ```
 */
export class AuthException extends HttpException {
  /** Response headers from `errorResponse()`, lowercase names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON body from `errorResponse()`. */
  readonly body: OAuthErrorBody;

  constructor(error: unknown) {
    const parts = errorResponse(error);
    // The original error stays as `cause` for server-side inspection; it is never rendered.
    super(parts.body, parts.status, { cause: error });
    this.headers = parts.headers;
    this.body = parts.body;
  }
}
