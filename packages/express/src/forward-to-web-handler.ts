import type { PreParsedBody } from '@auth/core';
import type { Request as ExpressRequest, Response as ExpressResponse, NextFunction } from 'express';
import { formBody } from './form-body.js';
import { sendAuthError } from './send-auth-error.js';
import { toWebRequest } from './web-request.js';
import { sendWebResponse } from './web-response.js';

/** A core handler taking a Web `Request` and a body the host app may already have parsed. */
export type WebHandler = (request: Request, options: { body?: PreParsedBody }) => Promise<Response>;

/**
 * Hand an Express request to a core Web handler (authorization server, sign-in routes) and write its
 * answer back. A request that cannot be converted (bad Host, oversize or drained body) gets the core's
 * standard 4xx; a handler failure goes to Express's error chain.
 */
export function forwardToWebHandler(
  handler: WebHandler,
  req: ExpressRequest,
  res: ExpressResponse,
  next: NextFunction,
  url: string,
): void {
  let request: Request;
  let body: PreParsedBody | undefined;
  try {
    const parts = toWebRequest(req, url);
    request = parts.request;
    body = formBody(parts.body);
  } catch (err) {
    sendAuthError(res, err);
    return;
  }
  handler(request, { body })
    .then((response) => sendWebResponse(res, response, req.method))
    .catch(next);
}
