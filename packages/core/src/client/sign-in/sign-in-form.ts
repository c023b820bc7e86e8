/**
 * Reading the form bodies the sign-in routes accept (the `form_post` callback, the logout form), whether
 * or not the host framework already parsed them.
 *
 * @module
 */
import type { PreParsedBody } from '../../server/oauth/request-params.js';
import { signInRequestError } from './sign-in-errors.js';

/** Largest form body read. A callback carries a code, a state and an issuer: far below this. */
export const MAX_FORM_BYTES = 64 * 1024;

function isForm(request: Request): boolean {
  const type = request.headers.get('content-type');
  return type !== null && type.split(';')[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/**
 * The form fields of a POST: `preParsed` when given (Express `req.body`), else the request body, at most
 * {@link MAX_FORM_BYTES}. A body that is not `application/x-www-form-urlencoded` is `invalid_request`.
 * Repeated fields are kept (callback validation refuses them).
 */
export async function readForm(request: Request, preParsed: PreParsedBody | undefined): Promise<URLSearchParams> {
  if (preParsed !== undefined) {
    if (preParsed instanceof URLSearchParams) return preParsed;
    if (typeof preParsed !== 'object' || preParsed === null) throw signInRequestError('The form body is not valid');
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(preParsed)) {
      for (const v of Array.isArray(value) ? value : [value]) {
        if (typeof v !== 'string') throw signInRequestError('Form fields must be strings');
        params.append(name, v);
      }
    }
    return params;
  }
  if (!isForm(request)) throw signInRequestError('Expected an application/x-www-form-urlencoded body');
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_FORM_BYTES) throw signInRequestError('The form body is too large', 413);
  if (!request.body) return new URLSearchParams();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Bounded by MAX_FORM_BYTES: a body that never ends is cut off as soon as it is too large.
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_FORM_BYTES) {
      await reader.cancel().catch(() => {});
      throw signInRequestError('The form body is too large', 413);
    }
    chunks.push(value);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
