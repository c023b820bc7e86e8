import { errorToResponse } from '@auth/core';
import { Inject, Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { requestPathname } from '../http/http-request.js';
import { type NodeRequest, toWebRequest } from '../http/web-request.js';
import { sendWebResponse } from '../http/web-response.js';
import type { AuthRoute } from './auth-route.js';
import type { AuthModuleOptions } from './auth-module-options.js';
import { AUTH_MODULE_OPTIONS, AUTH_ROUTES } from './auth-tokens.js';

/**
 * Hands requests addressed to a mounted core handler (authorization server, sign-in, management) to it
 * and writes its Web `Response` back; every other request goes on to Nest's router untouched. A
 * middleware rather than a controller because the paths are the core's (`matches`), the form bodies
 * must work whether or not the platform parsed them, and guards must not stand in front of the OAuth
 * endpoints.
 */
@Injectable()
export class AuthRoutesMiddleware implements NestMiddleware {
  private readonly logger = new Logger('AuthRoutesMiddleware');

  constructor(
    @Inject(AUTH_ROUTES) private readonly routes: readonly AuthRoute[],
    @Inject(AUTH_MODULE_OPTIONS) private readonly options: AuthModuleOptions,
  ) {}

  async use(req: NodeRequest, res: ServerResponse, next: (error?: unknown) => void): Promise<void> {
    const pathname = requestPathname(req);
    const route = this.routes.find((r) => r.matches(pathname));
    if (!route) return next();
    const plain = route.direct ? await route.direct(req, pathname) : null;
    if (plain) {
      if (!res.headersSent) res.writeHead(plain.status, plain.headers).end(plain.body ?? undefined);
      return;
    }
    let response: Response;
    try {
      response = await route.handle(req, toWebRequest(req, this.options.publicOrigin?.replace(/\/$/, '')));
    } catch (error) {
      if (!(error instanceof Error && 'status' in error)) {
        this.logger.error(`auth: ${route.name} failed with ${error instanceof Error ? error.name : typeof error}`);
      }
      response = errorToResponse(error);
    }
    if (res.headersSent) return;
    try {
      await sendWebResponse(res, response);
    } catch (error) {
      // The client went away mid-response: nothing left to tell it.
      this.logger.warn(`auth: ${route.name} response not sent (${error instanceof Error ? error.name : typeof error})`);
      res.destroy();
    }
  }
}
