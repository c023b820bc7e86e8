/**
 * Credential management routes for the signed-in user ("My Profile / Developer Settings", "Settings ->
 * Apps & API"): JSON REST over the auth server's credential managers, one Web `Request -> Response`
 * handler every adapter mounts after verifying the caller.
 *
 * @module
 */
import { errorResponse, OAuthError } from '../../errors.js';
import type { AuthServer } from '../auth-server.js';
import type { Principal } from '../principal.js';
import { assertMayManage } from './management-access.js';
import { readJsonObject } from './management-body.js';
import { type ManagementArea, type ManagementOptions, resolveManagementOptions } from './management-options.js';
import * as r from './management-routes.js';

/** What the adapter passes to {@link ManagementHandler.handle}. */
export interface ManagementRequestOptions {
  /** The caller, from `auth.verify(getHeader, { httpMethod })`. The handler refuses anyone else. */
  principal: Principal;
  /** The JSON body, when the framework already parsed it (Express `req.body`, Fastify `request.body`). */
  body?: unknown;
}

/** The management routes. */
export interface ManagementHandler {
  /**
   * Serve a route (see {@link ManagementHandler.matches}). Never throws: failures are JSON errors
   * (`400 invalid_request`, `403`, `404 not_found`, `405` with `Allow`).
   */
  handle(request: Request, options: ManagementRequestOptions): Promise<Response>;
  /** Whether `pathname` is under one of the enabled areas, so adapters can fall through otherwise. */
  matches(pathname: string): boolean;
  /** The base path (`/account` by default). */
  readonly basePath: string;
}

const AREAS: readonly ManagementArea[] = ['api-keys', 'personal-tokens', 'secrets', 'apps'];

type Route =
  | { kind: 'collection'; area: ManagementArea }
  | { kind: 'item'; area: ManagementArea; id: string }
  | { kind: 'action'; area: ManagementArea; id: string; action: 'regenerate' | 'secrets' };

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

function methodNotAllowed(allow: string): OAuthError {
  return new OAuthError('invalid_request', 'Method not allowed', { status: 405, headers: { allow } });
}

/** Validation failures all read `invalid_request`, whichever manager raised them (RFC 7591 codes included). */
function normalise(err: unknown): unknown {
  if (err instanceof OAuthError && err.status === 400 && err.error !== 'invalid_request') {
    return new OAuthError('invalid_request', err.error_description, { status: 400 });
  }
  return err;
}

/**
 * Create the management routes over an auth server.
 *
 * Routes (under `basePath`, default `/account`), all JSON, all for the calling user only:
 * `GET|POST /api-keys`, `GET|DELETE /api-keys/:id`, `POST /api-keys/:id/regenerate`, the same for
 * `/personal-tokens` and `/secrets`, and `GET|POST /apps`, `GET|PATCH|DELETE /apps/:id`,
 * `GET|POST /apps/:id/secrets` (list, rotate with `{ overlap }`).
 *
 * @example
 * ```ts
 * const manage = createManagementHandler(auth, { basePath: '/account' });
 * // in the adapter, after verifying (httpMethod is what makes verify enforce CSRF for cookies):
 * const principal = await auth.verify((n) => req.headers[n], { httpMethod: req.method });
 * if (manage.matches(url.pathname)) return manage.handle(webRequest, { principal, body: req.body });
 * ```
 */
export function createManagementHandler(auth: AuthServer, options?: ManagementOptions): ManagementHandler {
  const o = resolveManagementOptions(options);
  const logger = auth.context.logger;

  function parse(pathname: string): Route | null {
    const trimmed = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
    if (!trimmed.startsWith(`${o.basePath}/`)) return null;
    const segments = trimmed.slice(o.basePath.length + 1).split('/');
    const area = segments[0] as ManagementArea;
    if (!AREAS.includes(area) || !o.areas.has(area) || segments.length > 3) return null;
    if (segments.length === 1) return { kind: 'collection', area };
    let id: string;
    try {
      id = decodeURIComponent(segments[1]!);
    } catch {
      return null;
    }
    if (id === '' || id.length > 256) return null;
    if (segments.length === 2) return { kind: 'item', area, id };
    const action = segments[2];
    if (action === 'regenerate' && area !== 'apps') return { kind: 'action', area, id, action };
    if (action === 'secrets' && area === 'apps') return { kind: 'action', area, id, action };
    return null;
  }

  async function dispatch(route: Route, c: r.RouteContext, method: string): Promise<r.RouteResult> {
    const { area } = route;
    if (route.kind === 'collection') {
      if (method === 'GET') return area === 'apps' ? r.listApps(c) : r.listCredentials(c, area);
      if (method === 'POST') return area === 'apps' ? r.registerApp(c) : r.createCredential(c, area);
      throw methodNotAllowed('GET, POST');
    }
    if (route.kind === 'item') {
      if (method === 'GET') return area === 'apps' ? r.getApp(c, route.id) : r.getCredential(c, area, route.id);
      if (method === 'DELETE') return area === 'apps' ? r.revokeApp(c, route.id) : r.revokeCredential(c, area, route.id);
      if (method === 'PATCH' && area === 'apps') return r.updateApp(c, route.id);
      throw methodNotAllowed(area === 'apps' ? 'GET, PATCH, DELETE' : 'GET, DELETE');
    }
    if (route.action === 'regenerate' && area !== 'apps') {
      if (method === 'POST') return r.regenerateCredential(c, area, route.id);
      throw methodNotAllowed('POST');
    }
    if (method === 'GET') return r.listAppSecrets(c, route.id);
    if (method === 'POST') return r.rotateAppSecret(c, route.id);
    throw methodNotAllowed('GET, POST');
  }

  return {
    basePath: o.basePath || '/',
    matches: (pathname) => parse(pathname) !== null,
    async handle(request, handleOptions) {
      try {
        let url: URL;
        try {
          url = new URL(request.url);
        } catch {
          throw new OAuthError('invalid_request', 'Invalid request URL');
        }
        const route = parse(url.pathname);
        if (!route) return json(404, { error: 'not_found', error_description: 'No such route' });
        const principal = handleOptions?.principal;
        assertMayManage(principal, request, o);
        const method = request.method === 'HEAD' ? 'GET' : request.method;
        const includeRevoked = url.searchParams.get('includeRevoked') === 'true';
        let body: Promise<Record<string, unknown>> | undefined;
        const context: r.RouteContext = {
          auth,
          options: o,
          principal,
          includeRevoked,
          body: () => (body ??= readJsonObject(request, handleOptions.body)),
        };
        const result = await dispatch(route, context, method);
        return json(result.status, result.body);
      } catch (err) {
        if (!(err instanceof OAuthError)) {
          // The class is enough to start looking; a message could quote a secret.
          logger.error('management: unexpected failure', { error: err instanceof Error ? err.name : typeof err });
        }
        const { status, headers, body } = errorResponse(normalise(err));
        return json(status, body, headers);
      }
    },
  };
}
