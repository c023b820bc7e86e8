import type { AuthMethod, AuthServer, Principal } from '@auth/core';
import { type CanActivate, type ExecutionContext, HttpException, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { HttpRequestLike } from '../http/http-request.js';
import { AuthException } from './auth-exception.js';
import { AUTH_SERVER } from './auth-tokens.js';
import type { AuthenticatedRequest } from './current-principal.decorator.js';
import { type AuthRequestContext, requestContext } from './request-context.js';
import { ALLOW_METADATA, PUBLIC_METADATA, SCOPES_METADATA } from './route-metadata.js';

/** What the decorators ask of one route, after merging the controller's and the method's metadata. */
export interface AuthRouteRequirements {
  /** `@Public()`: no authentication. */
  public: boolean;
  /** `@Scopes(...)` of the controller and the method together. */
  scopes: readonly string[];
  /** `@AllowMethods(...)`: the method's list, else the controller's, else the verifier's default. */
  allow: readonly AuthMethod[] | undefined;
}

/**
 * Verifies every request with the core's `verify` and puts the `Principal` on `request.auth`. Routes opt
 * out with `@Public()`, ask for scopes with `@Scopes()` and open themselves to other schemes with
 * `@AllowMethods()`. Failures become an `AuthException` that `AuthExceptionFilter` renders exactly as the
 * core's `errorResponse()` (status, `WWW-Authenticate`, JSON body).
 *
 * Extend it and override the protected hooks to change one step: where the credentials are read
 * (`getRequestContext`), what happens with the principal (`onAuthenticated`), how failures are reported
 * (`handleError`), or how requirements are read (`getRequirements`).
 *
 * @example
 * ```ts
 * // globally
 * AuthModule.forRoot({ server: auth, globalGuard: true });
 * // or per controller
 * @UseGuards(AuthGuard)
 * @Controller('contacts')
 * export class ContactsController {}
 * ```
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(AUTH_SERVER) protected readonly auth: AuthServer,
    @Inject(Reflector) protected readonly reflector: Reflector,
  ) {}

  /** `getRequirements` results by handler, then controller: decorator metadata does not change at run time. */
  readonly #requirements = new WeakMap<object, WeakMap<object, AuthRouteRequirements>>();

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const requirements = this.getRequirements(context);
    if (requirements.public) return true;
    try {
      const request = this.getRequestContext(context);
      const options = {
        httpMethod: request.httpMethod,
        query: request.query,
        csrfToken: request.csrfToken,
        scopes: requirements.scopes,
        allow: requirements.allow,
      };
      // A warm request is settled without the verifier's awaits. A server spread into a wrapper
      // (`{ ...auth, verify: mine }`) has no `verifyWarm`, so its own `verify` decides every request.
      const warm = typeof this.auth.verifyWarm === 'function' ? this.auth.verifyWarm(request.getHeader, options) : undefined;
      const principal = warm ?? (await this.auth.verify(request.getHeader, options));
      await this.onAuthenticated(principal, context);
      return true;
    } catch (error) {
      return this.handleError(error, context);
    }
  }

  /**
   * Merge the decorators' metadata of the handler and its controller. Read once per route: the result is
   * kept (frozen) for the handler and controller pair.
   */
  protected getRequirements(context: ExecutionContext): AuthRouteRequirements {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byController = this.#requirements.get(handler);
    const known = byController?.get(controller);
    if (known) return known;
    const targets = [handler, controller];
    const outerFirst = [controller, handler];
    const allow = this.reflector.getAllAndOverride<AuthMethod[] | undefined>(ALLOW_METADATA, targets);
    const requirements: AuthRouteRequirements = Object.freeze({
      public: this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_METADATA, targets) === true,
      scopes: Object.freeze([...new Set(this.reflector.getAllAndMerge<string[]>(SCOPES_METADATA, outerFirst) ?? [])]),
      allow: allow && Object.freeze([...allow]),
    });
    if (!byController) this.#requirements.set(handler, (byController = new WeakMap()));
    byController.set(controller, requirements);
    return requirements;
  }

  /**
   * Where the credentials come from. The default reads an HTTP request on either platform; override it
   * for other transports, or to read the request from somewhere else.
   */
  protected getRequestContext(context: ExecutionContext): AuthRequestContext {
    return requestContext(this.getRequest(context));
  }

  /** The platform's request object (Express `Request` or `FastifyRequest`). */
  protected getRequest(context: ExecutionContext): HttpRequestLike & AuthenticatedRequest {
    return context.switchToHttp().getRequest<HttpRequestLike & AuthenticatedRequest>();
  }

  /**
   * Called with the verified principal before the handler runs. The default stores it on
   * `request.auth`, where `@CurrentPrincipal()` finds it. Throw to refuse the request.
   */
  protected onAuthenticated(principal: Principal, context: ExecutionContext): void | Promise<void> {
    this.getRequest(context).auth = principal;
  }

  /**
   * Called with anything `verify` or `onAuthenticated` threw. The default rethrows Nest's own
   * `HttpException`s as they are and turns everything else into an `AuthException` (the core's status,
   * headers and body; unexpected errors become a bare 500 `server_error`). Return `true` to let the
   * request through anyway.
   */
  protected handleError(error: unknown, _context: ExecutionContext): boolean | Promise<boolean> {
    if (error instanceof HttpException) throw error;
    throw new AuthException(error);
  }
}
