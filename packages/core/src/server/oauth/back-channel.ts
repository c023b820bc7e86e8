/**
 * The back-channel endpoints (token, revocation, introspection) on plain request parts. They are called
 * by servers, not browsers, at rates that make the Web `Request` / `Response` round trip the largest cost
 * of a token request in Node; `OAuthServer.serveBackChannel` takes what Node frameworks already hold.
 * `OAuthServer.handle` goes through the same code, so both entries answer identically.
 *
 * @module
 */
import { errorResponse, OAuthError } from '../../errors.js';
import type { HeaderAccessor } from '../verify/header-accessor.js';
import type { FormBody, FormInput } from './request-params.js';

/**
 * A request to the token, revocation or introspection endpoint, as a Node framework holds it.
 *
 * @example
 * ```ts
 * // Fastify
 * const answer = await auth.oauth.serveBackChannel({
 *   method: request.method,
 *   pathname: request.url.split('?', 1)[0],
 *   headers: nodeHeaderAccessor(request.raw),
 *   body: request.body, // string from a raw form parser, an object from @fastify/formbody, or undefined
 * });
 * ```
 */
export interface BackChannelRequest {
  /** The HTTP method; anything but POST is answered 405. */
  method: string;
  /** The request path without the query, as `OAuthServer.matches` takes it. */
  pathname: string;
  /**
   * Request headers by lowercase name. An array with more than one value (a repeated header) is refused
   * with `invalid_request`; `nodeHeaderAccessor(req)` reports a repeated `Authorization` that way.
   */
  headers: HeaderAccessor;
  /**
   * The body as the host holds it: a form its parser made, text or bytes it read, or the unread request
   * stream (a Node `IncomingMessage` or a Web `ReadableStream`), read here up to `maxBodyBytes`.
   */
  body?: FormBody;
}

/** An answer as plain parts: write `status`, every header, then `body` (JSON text, or none when null). */
export interface PlainResponse {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: string | null;
}

/** RFC 6749 section 5.1: nothing carrying tokens or errors may be cached. */
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' } as const;
const JSON_TYPE = 'application/json; charset=utf-8';

/** A JSON answer that no cache keeps. */
export function plainJson(body: unknown, status = 200, headers: Record<string, string> = {}): PlainResponse {
  return { status, headers: { ...headers, 'content-type': JSON_TYPE, ...NO_STORE }, body: JSON.stringify(body) };
}

/** A bodyless `no-store` answer (revocation's 200). */
export function plainEmpty(status: number): PlainResponse {
  return { status, headers: { ...NO_STORE }, body: null };
}

/** Any thrown value as the standard error answer (protocol errors as they are, anything else a bare 500). */
export function plainError(err: unknown): PlainResponse {
  const { status, headers, body } = errorResponse(err);
  return { status, headers: { ...headers, 'content-type': JSON_TYPE }, body: JSON.stringify(body) };
}

/** The Web `Response` of a plain answer. */
export function toWebResponse(plain: PlainResponse): Response {
  return new Response(plain.body, { status: plain.status, headers: plain.headers });
}

/**
 * The {@link FormInput} of a back-channel request: each header read at most once, repeats refused (two
 * `Authorization` or `Content-Type` headers must not be judged on whichever one a parser kept).
 */
export function backChannelInput(headers: HeaderAccessor, body: FormBody): FormInput {
  return {
    header(name) {
      const value = headers(name);
      if (value === undefined || value === null) return null;
      if (typeof value === 'string') return value;
      if (value.length > 1) throw new OAuthError('invalid_request', `The ${name} header was sent more than once`);
      return value[0] ?? null;
    },
    body,
  };
}
