/**
 * Reading OAuth request parameters from a query string or a form body, whether or not the host framework
 * already parsed the body. RFC 6749 section 3.1: empty parameters count as omitted, and no parameter may
 * appear twice.
 *
 * @module
 */
import { OAuthError } from '../../errors.js';

/** A body the host framework already parsed (Express `req.body`, Fastify `request.body`...). */
export type PreParsedBody = URLSearchParams | Record<string, string | string[]>;

/** Request parameters, each present at most once. */
export type Params = ReadonlyMap<string, string>;

const SAFE_NAME_RE = /^[A-Za-z0-9_.-]{1,64}$/;

function repeated(name: string): OAuthError {
  // Only a plain name is reflected, so a hostile parameter name cannot smuggle markup or control characters.
  return new OAuthError(
    'invalid_request',
    SAFE_NAME_RE.test(name) ? `Parameter "${name}" is repeated` : 'A parameter is repeated',
  );
}

/** Collect parameters, refusing duplicates. Empty values are treated as omitted. */
export function collectParams(entries: Iterable<[string, unknown]>): Map<string, string> {
  const out = new Map<string, string>();
  const seen = new Set<string>();
  for (const [name, raw] of entries) {
    const values = Array.isArray(raw) ? raw : [raw];
    for (const value of values) {
      if (typeof value !== 'string') throw new OAuthError('invalid_request', 'Parameters must be strings');
      if (seen.has(name)) throw repeated(name);
      seen.add(name);
      if (value !== '') out.set(name, value);
    }
  }
  return out;
}

/** The query parameters of a URL, duplicates refused. */
export function queryParams(url: URL): Map<string, string> {
  return collectParams(url.searchParams.entries());
}

function isForm(request: Request): boolean {
  const type = request.headers.get('content-type');
  return type !== null && type.split(';')[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/**
 * The form parameters of a POST. Uses `preParsed` when the host already consumed the body; otherwise
 * reads at most `maxBytes`. Anything but `application/x-www-form-urlencoded` is `invalid_request`.
 */
export async function formParams(
  request: Request,
  preParsed: PreParsedBody | undefined,
  maxBytes: number,
): Promise<Map<string, string>> {
  if (!isForm(request)) {
    throw new OAuthError('invalid_request', 'The body must be application/x-www-form-urlencoded');
  }
  // The limit holds whoever read the body: a host parser with a larger limit must not widen it.
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new OAuthError('invalid_request', 'The request body is too large');
  if (preParsed !== undefined) {
    if (preParsed instanceof URLSearchParams) return limited(collectParams(preParsed.entries()), maxBytes);
    if (typeof preParsed !== 'object' || preParsed === null) {
      throw new OAuthError('invalid_request', 'The body must be application/x-www-form-urlencoded');
    }
    return limited(collectParams(Object.entries(preParsed)), maxBytes);
  }
  if (request.bodyUsed) {
    // The host read the stream without handing us the result: an adapter bug, reported as a client error
    // so it never turns into a 500 in production.
    throw new OAuthError('invalid_request', 'The request body was already consumed');
  }
  const text = await readLimited(request, maxBytes);
  return collectParams(new URLSearchParams(text).entries());
}

/** Parameters parsed by the host, refused when their decoded size alone exceeds the limit (chunked bodies). */
function limited(params: Map<string, string>, maxBytes: number): Map<string, string> {
  let size = 0;
  for (const [name, value] of params) size += name.length + value.length + 2;
  if (size > maxBytes) throw new OAuthError('invalid_request', 'The request body is too large');
  return params;
}

async function readLimited(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw new OAuthError('invalid_request', 'The request body is too large');
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof OAuthError) throw err;
    throw new OAuthError('invalid_request', 'The request body could not be read', { cause: err });
  }
  return Buffer.concat(chunks).toString('utf8');
}
