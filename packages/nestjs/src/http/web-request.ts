import { OAuthError, type PreParsedBody } from '@auth/core';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { type HttpRequestLike, requestTarget } from './http-request.js';

/** A Web `Request` for the core's handlers, plus the body when the platform already parsed it. */
export interface WebRequestParts {
  request: Request;
  /** The parsed body, for `handle(request, { body })`, when the stream was already consumed. */
  body: PreParsedBody | undefined;
}

/** A Node request as Nest middleware sees it on either platform. */
export type NodeRequest = IncomingMessage & Pick<HttpRequestLike, 'originalUrl' | 'body'>;

const HOST_RE = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * Build a Web `Request` from a Node request (Express's, or the raw one Fastify passes to middleware).
 * When something upstream already read the body (Express's body parsers), the parsed value is handed on
 * as `body` and the Request has none; otherwise the unread stream becomes the Request's body, which the
 * core reads with its own size limit. `publicOrigin` replaces the origin taken from the request.
 */
export function toWebRequest(req: NodeRequest, publicOrigin?: string): WebRequestParts {
  const method = (req.method ?? 'GET').toUpperCase();
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    // HTTP/2 pseudo-headers (":path") are not valid header names for `Headers`.
    if (value === undefined || name.startsWith(':')) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  let url: URL;
  try {
    // One leading slash: "//host/path" must stay a path, not become another origin.
    url = new URL(requestTarget(req).replace(/^\/+/, '/'), publicOrigin ?? origin(req));
  } catch (cause) {
    throw new OAuthError('invalid_request', 'Invalid request URL', { cause });
  }
  const init: RequestInit & { duplex?: 'half' } = { method, headers };
  let body: PreParsedBody | undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    if (req.readableEnded) {
      body = parsedBody(req.body);
      // A raw-body parser leaves a string or a Buffer: hand the bytes on as they were.
      if (body === undefined && typeof req.body === 'string') init.body = req.body;
      if (body === undefined && req.body instanceof Uint8Array) init.body = new Uint8Array(req.body);
    } else {
      init.body = Readable.toWeb(req) as ReadableStream<Uint8Array>;
      init.duplex = 'half';
    }
  }
  return { request: new Request(url, init), body };
}

function parsedBody(value: unknown): PreParsedBody | undefined {
  if (value instanceof URLSearchParams) return value;
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return undefined;
  // The core refuses non-string values (nested objects from extended parsers) as `invalid_request`.
  return value as Record<string, string | string[]>;
}

function origin(req: NodeRequest): string {
  // Express's `protocol` honours `trust proxy`; the raw request Fastify's middleware gets has none.
  const expressProtocol = (req as { protocol?: unknown }).protocol;
  const encrypted = (req.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
  const protocol = expressProtocol === 'https' || expressProtocol === 'http' ? expressProtocol : encrypted ? 'https' : 'http';
  const host = req.headers.host;
  // The handlers route by path; the origin only has to make the URL valid, so a strange Host is replaced.
  return `${protocol}://${typeof host === 'string' && HOST_RE.test(host) ? host : 'localhost'}`;
}
