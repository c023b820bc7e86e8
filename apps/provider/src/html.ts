/**
 * Server-rendered HTML: escaping, the page layout and its stylesheet. No external assets.
 *
 * @module
 */

/** Escape text for HTML element content and double-quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(
    /[&<>"'`]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' })[c]!,
  );
}

/** A template tag whose interpolations are escaped unless wrapped in {@link raw}. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Raw {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new Raw(out);
}

/** Already-safe HTML. */
export class Raw {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

/** Mark trusted markup as safe. */
export function raw(value: string): Raw {
  return new Raw(value);
}

function render(v: unknown): string {
  if (v instanceof Raw) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === null || v === undefined || v === false) return '';
  return escapeHtml(v);
}

const CSS = `
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2433;background:#f4f6fa}
header{background:#1d2433;color:#fff;padding:.7rem 1.5rem;display:flex;align-items:center;gap:1rem}
header .brand{font-weight:600;margin-right:auto}header form{margin:0}
main{max-width:60rem;margin:1.5rem auto;padding:0 1rem}
.card{background:#fff;border:1px solid #dde2ec;border-radius:8px;padding:1.2rem 1.4rem;margin-bottom:1.2rem}
.narrow{max-width:26rem;margin:3rem auto}
h1{font-size:1.4rem;margin:.2rem 0 1rem}h2{font-size:1.1rem;margin:0 0 .8rem}
label{display:block;margin:.5rem 0 .2rem;font-weight:500}
input[type=text],input[type=email],input[type=password],select,textarea{width:100%;padding:.45rem .6rem;border:1px solid #c3cad8;border-radius:6px;font:inherit}
.inline{display:flex;flex-wrap:wrap;gap:.6rem 1.2rem;align-items:center}.inline label{display:inline;font-weight:400;margin:0}
button{font:inherit;padding:.45rem .9rem;border-radius:6px;border:1px solid #2f5bd3;background:#2f5bd3;color:#fff;cursor:pointer;margin-top:.6rem}
button.secondary{background:#fff;color:#2f5bd3}button.danger{background:#fff;color:#b3261e;border-color:#b3261e;margin:0;padding:.2rem .6rem}
header button{margin:0;background:transparent;border-color:#fff}
table{width:100%;border-collapse:collapse;font-size:.92rem}th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #eef1f6;vertical-align:top}
code,.secret{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.88rem}
.secret{display:block;padding:.6rem;background:#fff8e1;border:1px solid #f0c36d;border-radius:6px;word-break:break-all;margin:.3rem 0}
.notice{border-color:#f0c36d;background:#fffdf5}.err{color:#b3261e}.muted{color:#667085}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.3rem 0}dt{color:#667085}dd{margin:0}
`;

/** A full page. `user` shows the header with the sign-out button (which needs `csrfToken`). */
export function page(
  title: string,
  body: Raw,
  options: { user?: { username: string; csrfToken: string } } = {},
): string {
  const header = options.user
    ? html`<header><span class="brand">Provider</span><a href="/settings" style="color:#fff">Developer settings</a>
<span data-testid="signed-in-as">${options.user.username}</span>
<form method="post" action="/logout"><input type="hidden" name="_csrf" value="${options.user.csrfToken}"><button id="sign-out" type="submit">Sign out</button></form></header>`
    : html`<header><span class="brand">Provider</span></header>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Provider</title><style>${CSS}</style></head><body>${header}<main>${body}</main></body></html>`;
}

/** Security headers for every page: no scripts at all, no framing, no referrer leaks of `tx`. */
// No form-action: the consent form's redirect chain ends at the client's redirect URI, which form-action
// would block in Chrome.
export const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  // same-origin, not no-referrer: the `tx` in URLs stays on this origin, and form posts keep a real Origin header.
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};
