/**
 * An in-process browser: a cookie jar per origin that applies SameSite to cross-site requests the way
 * browsers do, manual redirects, and requests dispatched straight to Route Handlers as real `Request`s.
 */
export type Dispatch = (request: Request) => Promise<Response>;

interface StoredCookie {
  value: string;
  sameSite: 'lax' | 'strict' | 'none';
}

export type RequestKind = 'same-site' | 'cross-site-get' | 'cross-site-post';

export class Browser {
  readonly jars = new Map<string, Map<string, StoredCookie>>();
  constructor(private readonly dispatch: Dispatch) {}

  jar(origin: string): Map<string, StoredCookie> {
    let jar = this.jars.get(origin);
    if (!jar) this.jars.set(origin, (jar = new Map()));
    return jar;
  }

  /** The `Cookie` header this browser sends to `origin` for a request of `kind`. */
  cookieHeader(origin: string, kind: RequestKind = 'same-site'): string {
    return [...this.jar(origin)]
      .filter(([, c]) => kind === 'same-site' || c.sameSite === 'none' || (kind === 'cross-site-get' && c.sameSite === 'lax'))
      .map(([k, c]) => `${k}=${c.value}`)
      .join('; ');
  }

  async fetch(url: string, init: RequestInit = {}, crossSite = false): Promise<Response> {
    const origin = new URL(url).origin;
    const headers = new Headers(init.headers);
    const method = (init.method ?? 'GET').toUpperCase();
    const kind: RequestKind = !crossSite ? 'same-site' : method === 'GET' ? 'cross-site-get' : 'cross-site-post';
    const cookie = this.cookieHeader(origin, kind);
    if (cookie) headers.set('cookie', cookie);
    headers.set('sec-fetch-site', crossSite ? 'cross-site' : 'same-origin');
    if (!headers.has('accept')) headers.set('accept', 'text/html');
    const res = await this.dispatch(new Request(url, { ...init, headers }));
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';').map((s) => s.trim());
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      const sameSite = (attrs.find((a) => /^samesite=/i.test(a))?.split('=')[1]?.toLowerCase() ?? 'lax') as StoredCookie['sameSite'];
      if (sameSite === 'none' && !attrs.some((a) => /^secure$/i.test(a))) continue;
      if (attrs.some((a) => /^max-age=0$/i.test(a)) || value === '') this.jar(origin).delete(name);
      else this.jar(origin).set(name, { value, sameSite });
    }
    return res;
  }

  postForm(url: string, fields: Record<string, string> | URLSearchParams, crossSite = false, headers: Record<string, string> = {}) {
    return this.fetch(
      url,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields) },
      crossSite,
    );
  }
}

function unescapeHtml(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#96;/g, '`').replace(/&amp;/g, '&');
}

/** A hidden field of an HTML form. */
export function hiddenField(html: string, name: string): string {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!m) throw new Error(`No field ${name}`);
  return unescapeHtml(m[1]!);
}

/** The action and fields of the authorization server's auto-submitting form_post page. */
export function parseFormPost(html: string): { action: string; fields: URLSearchParams } {
  const action = /<form method="post" action="([^"]*)"/.exec(html)?.[1];
  if (!action) throw new Error('No form_post form');
  const fields = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) fields.append(unescapeHtml(m[1]!), unescapeHtml(m[2]!));
  return { action: unescapeHtml(action), fields };
}
