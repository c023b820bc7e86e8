/**
 * How the sign-in routes fail: always a standard 4xx/5xx (`errorToResponse` JSON, or a small HTML page
 * when a browser navigated here), never an unhandled exception, never a token or secret in the text.
 *
 * @module
 */
import {
  AuthError,
  CallbackError,
  CsrfError,
  errorResponse,
  InvalidResponseError,
  NetworkError,
  OAuthError,
  TimeoutError,
} from '../../errors.js';
import { escapeHtml } from '../../server/oauth/html.js';

/** A 400 `invalid_request` for a sign-in route. */
export function signInRequestError(description: string, status = 400, headers?: Record<string, string>): OAuthError {
  return new OAuthError('invalid_request', description, { status, ...(headers ? { headers } : {}) });
}

/**
 * Map any failure of a sign-in route to a protocol error with a status a browser can be shown:
 * callback validation -> 400, an error callback (`access_denied`) or a refused code -> 400 with the
 * server's `error`, the app's own client credentials refused or an unreachable or misbehaving
 * authorization server -> 502.
 */
export function toSignInError(err: unknown): OAuthError | null {
  if (err instanceof CsrfError) return err;
  if (err instanceof CallbackError) return signInRequestError(err.message);
  if (err instanceof OAuthError) {
    if (err.status >= 500) {
      return new OAuthError('temporarily_unavailable', 'The authorization server failed; try again', { status: 502 });
    }
    // The token endpoint refusing this app's own credentials (`invalid_client`, 401 with
    // `WWW-Authenticate: Basic`) is a server-side misconfiguration: never let the browser prompt for it.
    if (err.status === 401 || err.status === 403) {
      return new OAuthError(err.error, 'The app could not authenticate to the authorization server', { status: 502 });
    }
    return err;
  }
  if (err instanceof NetworkError || err instanceof TimeoutError || err instanceof InvalidResponseError) {
    return new OAuthError('temporarily_unavailable', 'The authorization server could not be reached; try again', { status: 502 });
  }
  return null;
}

function wantsHtml(request: Request): boolean {
  const accept = request.headers.get('accept') ?? '';
  return accept.includes('text/html') && !accept.includes('application/json');
}

/**
 * Render a failure. Unknown errors become a bare 500 `server_error` (the caller logs their class only).
 * `extraSetCookies` (cookie clears) are sent whatever the outcome.
 */
export function renderSignInError(err: unknown, request: Request, extraSetCookies: readonly string[] = []): Response {
  const known = toSignInError(err);
  const { status, headers, body } = errorResponse(known ?? (err instanceof AuthError ? err : new Error('unexpected')));
  const out = new Headers(headers);
  out.delete('www-authenticate');
  for (const c of extraSetCookies) out.append('set-cookie', c);
  if (!wantsHtml(request)) {
    out.set('content-type', 'application/json; charset=utf-8');
    return new Response(JSON.stringify(body), { status, headers: out });
  }
  out.set('content-type', 'text/html; charset=utf-8');
  out.set('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
  const description = body.error_description ?? 'The request could not be completed';
  const html =
    '<!doctype html><html><head><meta charset="utf-8"><title>Sign-in failed</title></head>' +
    `<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto"><h1>Sign-in failed</h1>` +
    `<p>${escapeHtml(description)}</p><p><small>${escapeHtml(body.error)}</small></p></body></html>`;
  return new Response(html, { status, headers: out });
}
