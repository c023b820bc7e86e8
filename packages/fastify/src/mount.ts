import { OAuthError, type PlainResponse } from '@auth/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { RouteAuthConfig } from './route-config.js';
import { literalRoutePath } from './route-path.js';
import { sendAuthError } from './send-error.js';
import { sendWebResponse } from './send-response.js';
import { toWebRequest, type WebRequestParts } from './web-request.js';

const FORM = 'application/x-www-form-urlencoded';

/**
 * Every method goes to the core, which answers the wrong ones with 405 and `Allow` in the standard
 * format. OPTIONS is left out so CORS preflight stays with the host (`@fastify/cors`).
 */
const METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Routes that hand requests to a Web-standard core handler. */
export interface WebRoutes {
  /** Name of the encapsulated plugin (stack traces, `printPlugins`). */
  name: string;
  /** Literal paths from the core. */
  paths: readonly string[];
  /**
   * A base path whose whole subtree goes to the handler when `matches` says so; other paths under it
   * fall through to the host's 404 handler.
   */
  subtree?: { basePath: string; matches(pathname: string): boolean };
  /** What the paths are, for configuration errors. */
  what: string;
  /** The route's `config.auth`: `false` for routes that must be public whatever the global hook does. */
  auth: RouteAuthConfig;
  handle(parts: WebRequestParts, request: FastifyRequest): Promise<Response>;
  /**
   * Answer from plain parts without building a Web `Request` (the authorization server's back-channel
   * endpoints); null hands the request to {@link WebRoutes.handle}.
   */
  direct?(request: FastifyRequest, pathname: string): Promise<PlainResponse | null>;
}

function invalidUrl(): OAuthError {
  return new OAuthError('invalid_request', 'Invalid request URL');
}

/**
 * Fastify's own request errors (unknown content type, malformed JSON, body too large) rendered in the
 * core's format with a fixed description: the framework's message may quote the input.
 */
function renderRouteError(this: FastifyInstance, error: FastifyError, _request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status >= 400 && status < 500 && !(error instanceof OAuthError)) {
    return sendAuthError(reply, new OAuthError('invalid_request', 'The request could not be read', { status }));
  }
  return sendAuthError(reply, error);
}

/**
 * Register `routes` in their own encapsulated context: a raw form parser when the host has none (the
 * core then reads and limits the body itself), and an error handler that renders through the core,
 * without touching the host's parsers or error handler.
 */
export function mountWebRoutes(fastify: FastifyInstance, routes: WebRoutes): void {
  const paths = routes.paths.map((p) => literalRoutePath(p, routes.what));
  if (routes.subtree) {
    const base = routes.subtree.basePath === '/' ? '' : routes.subtree.basePath;
    paths.push(`${base === '' ? '' : literalRoutePath(base, routes.what)}/*`);
  }
  const plugin = async (child: FastifyInstance) => {
    if (!child.hasContentTypeParser(FORM)) {
      child.addContentTypeParser(FORM, { parseAs: 'string' }, function rawFormBody(_request, body, done) {
        done(null, body);
      });
    }
    child.setErrorHandler(renderRouteError);
    for (const url of paths) {
      child.route({
        method: METHODS,
        url,
        config: { auth: routes.auth },
        async handler(request, reply) {
          const pathname = request.url.split('?', 1)[0]!;
          if (routes.subtree && !routes.subtree.matches(pathname)) return reply.callNotFound();
          const plain = routes.direct ? await routes.direct(request, pathname) : null;
          if (plain) return reply.code(plain.status).headers(plain.headers).send(plain.body ?? undefined);
          let parts: WebRequestParts;
          try {
            parts = toWebRequest(request);
          } catch {
            throw invalidUrl();
          }
          return sendWebResponse(reply, await routes.handle(parts, request));
        },
      });
    }
  };
  Object.defineProperty(plugin, 'name', { value: routes.name });
  fastify.register(plugin);
}
