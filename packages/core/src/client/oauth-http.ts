import { InvalidResponseError, NetworkError, OAuthError, TimeoutError } from '../errors.js';
import type { ResolvedHttpOptions } from './http-options.js';
import { redact } from './redact.js';
import { parseRetryAfter, retryDelay } from './retry-delay.js';

/** One request to an authorization server endpoint. */
export interface OAuthHttpRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: URLSearchParams;
  /**
   * Whether the request may be sent again after a timeout or a dropped connection, when the server may
   * already have processed it. Refresh-token and authorization-code requests are not: the server may
   * have rotated the refresh token or consumed the code, and a replay can revoke the whole grant. They
   * are still retried on 5xx/429 answers and on connection failures that happen before sending.
   */
  idempotent: boolean;
  /** Values scrubbed from any text that ends up in an error. */
  secrets: readonly string[];
  /** What this is, for messages: "token request", "revocation request"... */
  what: string;
}

/** A successful (2xx) answer. `body` is the parsed JSON, or `null` for an empty body. */
export interface OAuthHttpResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

// Failures where the request provably never reached the server: safe to retry for any request.
const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

async function readCapped(res: Response, max: number, what: string): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel().catch(() => {});
    throw new InvalidResponseError(`${what}: response body exceeds ${max} bytes`, { status: res.status });
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      throw new InvalidResponseError(`${what}: response body exceeds ${max} bytes`, { status: res.status });
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Turn a non-2xx answer into the error to throw (or remember, when it will be retried). */
function errorFromResponse(status: number, text: string, req: OAuthHttpRequest): OAuthError | InvalidResponseError {
  const body = parseJson(text);
  if (isObject(body) && typeof body.error === 'string' && /^[\x20-\x7e]{1,200}$/.test(body.error)) {
    const description =
      typeof body.error_description === 'string' ? redact(body.error_description, req.secrets) : undefined;
    const errorUri = typeof body.error_uri === 'string' ? redact(body.error_uri, req.secrets) : undefined;
    return new OAuthError(redact(body.error, req.secrets), description, { status, errorUri });
  }
  return new InvalidResponseError(`${req.what} failed with HTTP ${status}`, { status });
}

/**
 * Send a request to an authorization server with a timeout per attempt, bounded retries with capped
 * exponential backoff and full jitter (honouring `Retry-After`), a capped body read, and no redirects.
 * 4xx answers are never retried: they become an {@link OAuthError} (standard error body) or an
 * {@link InvalidResponseError}.
 */
export async function sendOAuthRequest(req: OAuthHttpRequest, http: ResolvedHttpOptions): Promise<OAuthHttpResponse> {
  let lastError: Error | undefined;
  for (let attempt = 1; attempt <= http.attempts; attempt++) {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, http.timeoutMs);
    let retryAfterMs: number | null = null;
    let retryable: boolean;
    try {
      let res: Response;
      try {
        res = await http.fetch(req.url, {
          method: req.method,
          headers: { accept: 'application/json', ...req.headers },
          body: req.body,
          signal: controller.signal,
          // Token endpoints never legitimately redirect; following one would resend client credentials.
          redirect: 'manual',
        });
      } catch (cause) {
        const connectFailure = CONNECT_ERRORS.has(errorCode(cause) ?? '');
        lastError = timedOut
          ? new TimeoutError(`${req.what} timed out after ${http.timeoutMs} ms`)
          : new NetworkError(`${req.what} could not be sent (${errorCode(cause) ?? 'network error'})`, { cause });
        retryable = connectFailure || req.idempotent;
        if (!retryable || attempt === http.attempts) throw lastError;
        await http.sleep(retryDelay(attempt, null, http));
        continue;
      }
      let text: string;
      try {
        text = await readCapped(res, http.maxResponseBytes, req.what);
      } catch (cause) {
        if (cause instanceof InvalidResponseError) throw cause;
        lastError = timedOut
          ? new TimeoutError(`${req.what} timed out after ${http.timeoutMs} ms`)
          : new NetworkError(`${req.what}: the response could not be read`, { cause });
        if (!req.idempotent || attempt === http.attempts) throw lastError;
        await http.sleep(retryDelay(attempt, null, http));
        continue;
      }
      if (res.status >= 200 && res.status < 300) {
        if (text.trim() === '') return { status: res.status, headers: res.headers, body: null };
        const body = parseJson(text);
        if (body === undefined) {
          const type = (res.headers.get('content-type') ?? 'no content type').split(';')[0]!.slice(0, 60);
          throw new InvalidResponseError(`${req.what}: the response is not JSON (${type})`, { status: res.status });
        }
        return { status: res.status, headers: res.headers, body };
      }
      if (res.status >= 300 && res.status < 400) {
        throw new InvalidResponseError(`${req.what}: unexpected redirect (HTTP ${res.status})`, { status: res.status });
      }
      lastError = errorFromResponse(res.status, text, req);
      if (res.status !== 429 && res.status < 500) throw lastError;
      if (attempt === http.attempts) throw lastError;
      retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), http.now());
    } finally {
      clearTimeout(timer);
    }
    await http.sleep(retryDelay(attempt, retryAfterMs, http));
  }
  throw lastError ?? new NetworkError(`${req.what} failed`);
}

/** Check that a 2xx body is a JSON object. */
export function expectObject(body: unknown, what: string, status: number): Record<string, unknown> {
  if (!isObject(body)) throw new InvalidResponseError(`${what}: the response is not a JSON object`, { status });
  return body;
}
