/**
 * Rendering any error as the core's standard response.
 *
 * @module
 */
import { errorResponse } from '@auth/core';
import type { Response as ExpressResponse } from 'express';

/**
 * Send `err` as `errorResponse` renders it: RFC 6749/6750 status, `WWW-Authenticate` and the JSON body.
 * Anything that is not a protocol error becomes a bodyless-of-detail 500 `server_error`.
 *
 * @example
 * ```ts
 * app.get('/reports', (req, res) => {
 *   if (!req.auth?.businessId) return sendAuthError(res, new InvalidTokenError('A business is required'));
 *   res.json(report(req.auth.businessId));
 * });
 * ```
 */
export function sendAuthError(res: ExpressResponse, err: unknown): void {
  const { status, headers, body } = errorResponse(err);
  res.status(status);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}
