import type { PreParsedBody } from '@auth/core';
import type { FastifyRequest } from 'fastify';

/** A Fastify request as the core's Web handlers take it: a `Request`, plus the body Fastify parsed. */
export interface WebRequestParts {
  request: Request;
  /** Set when the host's parser produced an object (`@fastify/formbody`, a custom parser). */
  body: PreParsedBody | undefined;
}

const NO_BODY = new Set(['GET', 'HEAD']);
/** A host name or IP literal with an optional port: nothing that could move the path or the origin. */
const HOST_RE = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

function headersOf(request: FastifyRequest): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    // HTTP/2 pseudo-headers (`:path`) are not header names to the Fetch API.
    if (name.startsWith(':') || value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, String(value));
  }
  return headers;
}

function isPreParsed(body: unknown): body is PreParsedBody {
  return body instanceof URLSearchParams || (typeof body === 'object' && body !== null && !Buffer.isBuffer(body) && !ArrayBuffer.isView(body));
}

/**
 * Build the Web `Request` for a Fastify request. The origin comes from Fastify's `protocol` and `host`
 * (so `trustProxy` applies). A raw body (a string or Buffer from a raw parser) becomes the request body
 * the core reads and limits itself; a parsed one is handed over as `body`. Throws `TypeError` for a
 * `Host` or request target that does not make a URL.
 */
export function toWebRequest(request: FastifyRequest): WebRequestParts {
  const host = request.host || 'localhost';
  if (!HOST_RE.test(host) || !request.url.startsWith('/')) throw new TypeError('Invalid request URL');
  const url = `${request.protocol}://${host}${request.url}`;
  const init: RequestInit = { method: request.method, headers: headersOf(request) };
  const raw = request.body;
  let body: PreParsedBody | undefined;
  if (!NO_BODY.has(request.method) && raw !== undefined && raw !== null) {
    if (typeof raw === 'string') init.body = raw;
    else if (Buffer.isBuffer(raw)) init.body = new Uint8Array(raw);
    else if (isPreParsed(raw)) body = raw;
  }
  return { request: new Request(url, init), body };
}
