import { type HeaderAccessor, type NodeHeaderSource, nodeHeaderAccessor, type QueryAccessor } from '@auth/core';
import { type HttpRequestLike, requestTarget } from '../http/http-request.js';

/** What `AuthGuard` passes to the core's `verify` for one request. */
export interface AuthRequestContext {
  getHeader: HeaderAccessor;
  /** The HTTP method, for CSRF protection of cookie-authenticated requests. */
  httpMethod: string | undefined;
  /** Query parameters, for the opt-in query-parameter API key. */
  query: QueryAccessor;
  /** The `_csrf` field of a form body the platform already parsed. */
  csrfToken: string | undefined;
}

/**
 * Read what `verify` needs from an Express or a Fastify request: both expose Node's `headers`, `method`,
 * the request target and (when parsed) `body` under the same names.
 *
 * @example
 * ```ts
 * const { getHeader, httpMethod, query, csrfToken } = requestContext(req);
 * const principal = await auth.verify(getHeader, { httpMethod, query, csrfToken });
 * ```
 */
export function requestContext(req: HttpRequestLike): AuthRequestContext {
  let search: URLSearchParams | undefined;
  return {
    // The Node request itself (Fastify wraps it in `raw`): a repeated Authorization header stays visible.
    getHeader: nodeHeaderAccessor((req as { raw?: NodeHeaderSource }).raw ?? (req as NodeHeaderSource)),
    httpMethod: req.method,
    // Parsed from the raw target rather than the platform's `query` object, so a repeated parameter is
    // seen as repeated on both platforms and bracket syntax is never expanded into objects.
    query(name) {
      if (!search) {
        const target = requestTarget(req);
        const q = target.indexOf('?');
        search = new URLSearchParams(q === -1 ? '' : target.slice(q + 1));
      }
      const values = search.getAll(name);
      return values.length === 0 ? undefined : values.length === 1 ? values[0] : values;
    },
    csrfToken: formField(req.body, '_csrf'),
  };
}

function formField(body: unknown, name: string): string | undefined {
  if (body instanceof URLSearchParams) return body.getAll(name).length === 1 ? (body.get(name) ?? undefined) : undefined;
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}
