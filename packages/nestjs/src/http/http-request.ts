import type { IncomingHttpHeaders } from 'node:http';

/**
 * The part of a request both Nest platforms share: Express's `Request`, Fastify's `FastifyRequest` and
 * the raw `IncomingMessage` Fastify hands to middleware all have these properties.
 */
export interface HttpRequestLike {
  headers: IncomingHttpHeaders;
  method?: string;
  url?: string;
  /** The URL before any router rewrote `url` (Express, Fastify, middie). */
  originalUrl?: string;
  /** The body, when the platform parsed it. */
  body?: unknown;
}

/** The request target (path and query) as the client sent it. */
export function requestTarget(req: HttpRequestLike): string {
  return req.originalUrl || req.url || '/';
}

/** The pathname of the request target as sent (not percent-decoded), without the query. */
export function requestPathname(req: HttpRequestLike): string {
  const target = requestTarget(req);
  const q = target.indexOf('?');
  return q === -1 ? target : target.slice(0, q);
}
