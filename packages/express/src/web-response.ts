/**
 * Web `Response` -> Express response, for what the core's handlers answer.
 *
 * @module
 */
import type { Response as ExpressResponse } from 'express';

/**
 * Send a Web `Response` through Express: status, every header (each `Set-Cookie` kept separate),
 * redirects as they are, and the body (none for `HEAD`).
 *
 * @example
 * ```ts
 * await sendWebResponse(res, await signIn.handle(request, { body }));
 * ```
 */
export async function sendWebResponse(res: ExpressResponse, response: Response, method?: string): Promise<void> {
  res.status(response.status);
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) res.append('Set-Cookie', cookies);
  // Core responses are small (JSON, a redirect, a one-page form): buffering them keeps this simple.
  const payload = method === 'HEAD' || response.body === null ? undefined : Buffer.from(await response.arrayBuffer());
  res.end(payload);
}
