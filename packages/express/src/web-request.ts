/**
 * Express request -> Web `Request` for the core's `handle(request, { body })` entry points.
 *
 * @module
 */
import { Readable } from 'node:stream';
import { OAuthError } from '@auth/core';
import type { Request as ExpressRequest } from 'express';

/** A Web request and, when the host app already parsed the body, that body. */
export interface WebRequestParts {
  request: Request;
  /**
   * What a body parser left on `req.body`, as it is; undefined when the stream was not read, so the
   * request carries it and the core reads it itself.
   */
  body: unknown;
}

// A Host header is a host name or address with an optional port: anything else could move the path.
const HOST_RE = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

function firstHeader(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v?.split(',')[0]?.trim() || undefined;
}

/**
 * The public origin, as Express itself would compute it: `X-Forwarded-Host` only from a trusted proxy
 * (the app's `trust proxy` setting), else `Host`. Express 4's `req.hostname` drops the port, so it is
 * read here rather than from the request object.
 */
function requestOrigin(req: ExpressRequest): string {
  const trust = req.app?.get('trust proxy fn') as ((addr: string | undefined, i: number) => boolean) | undefined;
  let host = firstHeader(req.headers['x-forwarded-host']);
  if (!host || !trust?.(req.socket?.remoteAddress, 0)) host = firstHeader(req.headers.host);
  if (!host || !HOST_RE.test(host)) throw new OAuthError('invalid_request', 'The Host header is missing or malformed');
  return `${req.protocol === 'https' ? 'https' : 'http'}://${host}`;
}

/** Whether something upstream (a body parser, or the app) already read the request stream. */
export function bodyConsumed(req: ExpressRequest): boolean {
  // body-parser 1 marks `_body`; body-parser 2 and other readers leave the stream ended or read from.
  return (req as { _body?: unknown })._body === true || req.readableEnded || req.readableDidRead;
}

/**
 * Build the Web `Request` for `req`, with its full original URL (mount prefixes included) on the public
 * origin. When a body parser already ran, `req.body` is returned as `body` (`formBody` shapes it for the
 * OAuth and sign-in handlers); otherwise the unread stream becomes the request body. Throws an
 * `OAuthError` (400) for a malformed `Host` or a body that was consumed without being kept.
 *
 * @example
 * ```ts
 * const { request, body } = toWebRequest(req);
 * await sendWebResponse(res, await auth.oauth.handle(request, { body: formBody(body) }));
 * ```
 */
export function toWebRequest(req: ExpressRequest, url: string = req.originalUrl ?? req.url): WebRequestParts {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    // HTTP/2 pseudo-headers are not valid header names for `Headers`.
    if (name.startsWith(':') || value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  let href: string;
  try {
    href = new URL(requestOrigin(req) + (url.startsWith('/') ? url : `/${url}`)).href;
  } catch (cause) {
    if (cause instanceof OAuthError) throw cause;
    throw new OAuthError('invalid_request', 'Invalid request URL', { cause });
  }
  const method = req.method.toUpperCase();
  const init: RequestInit & { duplex?: 'half' } = { method, headers };
  let body: unknown;
  if (method !== 'GET' && method !== 'HEAD') {
    if (bodyConsumed(req)) {
      if (req.body === undefined || req.body === null) {
        throw new OAuthError('invalid_request', 'The request body was already consumed');
      }
      body = req.body;
    } else {
      init.body = Readable.toWeb(req) as ReadableStream<Uint8Array>;
      init.duplex = 'half';
    }
  }
  return { request: new Request(href, init), body };
}
