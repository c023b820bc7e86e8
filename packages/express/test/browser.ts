/**
 * A minimal browser for flow tests: a cookie jar per origin (Secure cookies kept, as browsers do for
 * loopback) and manual redirects, so every hop can be inspected.
 */
export class Browser {
  private readonly jars = new Map<string, Map<string, string>>();

  private jar(origin: string): Map<string, string> {
    let jar = this.jars.get(origin);
    if (!jar) this.jars.set(origin, (jar = new Map()));
    return jar;
  }

  cookieHeader(url: string): string | undefined {
    const jar = this.jar(new URL(url).origin);
    return jar.size ? [...jar].map(([k, v]) => `${k}=${v}`).join('; ') : undefined;
  }

  cookie(origin: string, name: string): string | undefined {
    return this.jar(origin).get(name);
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.cookieHeader(url);
    if (cookie) headers.set('cookie', cookie);
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    const jar = this.jar(new URL(url).origin);
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  }

  postForm(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return this.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields),
    });
  }
}

/** The value of a hidden input in a page. */
export function hiddenField(html: string, name: string): string {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!m) throw new Error(`No field ${name}`);
  return decodeHtml(m[1]!);
}

function decodeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#96;/g, '`')
    .replace(/&amp;/g, '&');
}

/** The form of an auto-submitting `form_post` page: its action and fields. */
export function formPost(html: string): { action: string; fields: Record<string, string> } {
  const action = /<form[^>]*action="([^"]*)"/.exec(html)?.[1];
  if (!action) throw new Error('No form action');
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input[^>]*name="([^"]*)"[^>]*value="([^"]*)"/g)) fields[decodeHtml(m[1]!)] = decodeHtml(m[2]!);
  return { action: decodeHtml(action), fields };
}

/**
 * Walk an authorization request through the built-in login and consent pages, approving. Returns the
 * first response that leaves them (a 303 to the client, or a `form_post` page). Bounded hops.
 */
export async function authorizeInBrowser(
  browser: Browser,
  authorizeUrl: string,
  user: { username: string; password: string },
): Promise<Response> {
  let res = await browser.fetch(authorizeUrl);
  const asOrigin = new URL(authorizeUrl).origin;
  for (let hop = 0; hop < 8; hop++) {
    if (res.status !== 303) return res;
    const location = new URL(res.headers.get('location')!, asOrigin);
    if (location.origin !== asOrigin) return res;
    if (location.pathname.endsWith('/oauth/login')) {
      const html = await (await browser.fetch(location.href)).text();
      res = await browser.postForm(location.origin + location.pathname, {
        tx: hiddenField(html, 'tx'),
        csrf: hiddenField(html, 'csrf'),
        username: user.username,
        password: user.password,
      });
    } else if (location.pathname.endsWith('/oauth/consent')) {
      const html = await (await browser.fetch(location.href)).text();
      res = await browser.postForm(location.origin + location.pathname, {
        tx: hiddenField(html, 'tx'),
        csrf: hiddenField(html, 'csrf'),
        decision: 'approve',
      });
    } else if (location.pathname.endsWith('/oauth/authorize')) {
      res = await browser.fetch(location.href);
    } else {
      return res;
    }
  }
  throw new Error('authorizeInBrowser: too many hops');
}
