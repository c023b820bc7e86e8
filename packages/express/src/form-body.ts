/**
 * A body parsed by the host app, as the core's form-reading handlers take it.
 *
 * @module
 */
import { OAuthError, type PreParsedBody } from '@auth/core';

/**
 * `req.body` as `handle(request, { body })` of the authorization server and the sign-in routes takes it:
 * objects from `express.urlencoded()` as they are, the text of `express.text()` / `express.raw()` parsed
 * as a form. Whether the request really was a form is the core's decision (it checks the content type).
 */
export function formBody(body: unknown): PreParsedBody | undefined {
  if (body === undefined) return undefined;
  if (body instanceof URLSearchParams) return body;
  if (typeof body === 'string') return new URLSearchParams(body);
  if (Buffer.isBuffer(body)) return new URLSearchParams(body.toString('utf8'));
  if (typeof body === 'object' && body !== null) return body as PreParsedBody;
  throw new OAuthError('invalid_request', 'The request body could not be read as a form');
}
