/** A minimal browser over real HTTP: a cookie jar and manual redirects, so every hop can be inspected. */
import { createServer } from 'node:net';

export class Browser {
  private readonly jar = new Map<string, string>();

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.jar.size) headers.set('cookie', this.cookieHeader());
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
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

  cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  cookie(name: string): string | undefined {
    return this.jar.get(name);
  }
}

/** The value of a hidden input in a built-in page. */
export function hiddenField(html: string, name: string): string {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!m) throw new Error(`No field ${name}`);
  return m[1]!.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#96;/g, '`').replace(/&amp;/g, '&');
}

/**
 * Walk an authorization request through the built-in login and consent pages, approving. Returns the
 * response that leaves the authorization server (a 303 to the client, or a form_post page).
 */
export async function authorizeInBrowser(browser: Browser, authorizeUrl: string, username: string, password: string): Promise<Response> {
  let res = await browser.fetch(authorizeUrl);
  // Bounded: login, consent, back to authorize.
  for (let hop = 0; hop < 6; hop++) {
    if (res.status !== 303) return res;
    const location = new URL(res.headers.get('location')!, authorizeUrl);
    if (location.pathname === '/oauth/login' || location.pathname === '/oauth/consent') {
      const html = await (await browser.fetch(location.href)).text();
      const fields: Record<string, string> = { tx: hiddenField(html, 'tx'), csrf: hiddenField(html, 'csrf') };
      if (location.pathname === '/oauth/login') Object.assign(fields, { username, password });
      else fields.decision = 'approve';
      res = await browser.postForm(location.origin + location.pathname, fields);
    } else if (location.pathname === '/oauth/authorize') {
      res = await browser.fetch(location.href);
    } else {
      return res;
    }
  }
  return res;
}

/** Submit an auto-submitting `form_post` page the way a browser would. */
export async function submitFormPost(browser: Browser, page: Response): Promise<Response> {
  const html = await page.text();
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error('no form_post form');
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) fields[m[1]!] = hiddenField(html, m[1]!);
  return browser.postForm(action.replace(/&amp;/g, '&'), fields, { origin: 'null' });
}

/** A free loopback port, so an issuer can be known before the server listens. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
