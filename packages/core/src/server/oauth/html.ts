/**
 * The few HTML documents the authorization server renders: error pages, the form_post response and the
 * built-in login/consent pages. Every interpolated value goes through {@link escapeHtml}; every page is
 * `no-store` under a CSP that forbids everything the page does not need.
 *
 * @module
 */
import { createHash } from 'node:crypto';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escape text for an HTML element body or a double-quoted attribute. Control characters are dropped. */
export function escapeHtml(value: string): string {
  let out = '';
  for (const ch of value) {
    const c = ch.charCodeAt(0);
    // Tab, LF and CR are kept (harmless in HTML); every other C0 control and DEL is dropped.
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) continue;
    out += HTML_ESCAPES[ch] ?? ch;
  }
  return out;
}

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#222}' +
  'label,input,button{display:block;width:100%;margin:.4rem 0;box-sizing:border-box}input,button{padding:.5rem}' +
  '.err{color:#a00}.row{display:flex;gap:.5rem}';
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

const AUTO_SUBMIT = 'document.forms[0].submit();';
const AUTO_SUBMIT_HASH = createHash('sha256').update(AUTO_SUBMIT).digest('base64');

function pageHeaders(csp: string, extra?: HeadersInit): Headers {
  const headers = new Headers(extra);
  headers.set('content-type', 'text/html; charset=utf-8');
  headers.set('cache-control', 'no-store');
  headers.set('pragma', 'no-cache');
  headers.set('content-security-policy', csp);
  headers.set('x-content-type-options', 'nosniff');
  headers.set('x-frame-options', 'DENY');
  headers.set('referrer-policy', 'no-referrer');
  return headers;
}

/** A complete page with the shared style. `body` must already be escaped HTML. */
export function htmlPage(
  title: string,
  body: string,
  init: { status?: number; headers?: HeadersInit; formAction?: string } = {},
): Response {
  const csp =
    `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; form-action ${init.formAction ?? "'self'"}; ` +
    "frame-ancestors 'none'; base-uri 'none'";
  const doc =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
  return new Response(doc, { status: init.status ?? 200, headers: pageHeaders(csp, init.headers) });
}

/** The error page shown when the request cannot be sent back to the client (unknown client, bad redirect). */
export function errorPage(status: number, error: string, description: string): Response {
  return htmlPage(
    'Authorization error',
    `<h1>Authorization error</h1><p class="err"><strong>${escapeHtml(error)}</strong></p><p>${escapeHtml(description)}</p>` +
      '<p>Go back to the application and try again.</p>',
    { status },
  );
}

/**
 * The `response_mode=form_post` response: a form that posts `params` to `action` and submits itself
 * (OAuth 2.0 Form Post Response Mode). The only script allowed is the one-line submit, by hash.
 */
export function formPostPage(action: string, params: Record<string, string>): Response {
  const inputs = Object.entries(params)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  let formAction = "'none'";
  try {
    const url = new URL(action);
    if (url.protocol === 'https:' || url.protocol === 'http:') formAction = url.origin;
  } catch {
    // The redirect URI was registered, so it parses; keep the restrictive policy if it somehow does not.
  }
  const csp = `default-src 'none'; script-src 'sha256-${AUTO_SUBMIT_HASH}'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`;
  const doc =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Submit this form</title></head><body>' +
    `<form method="post" action="${escapeHtml(action)}">${inputs}<noscript><button type="submit">Continue</button></noscript></form>` +
    `<script>${AUTO_SUBMIT}</script></body></html>`;
  return new Response(doc, { status: 200, headers: pageHeaders(csp) });
}
