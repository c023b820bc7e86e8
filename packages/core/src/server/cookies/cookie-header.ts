/**
 * Reading a `Cookie` request header and writing a `Set-Cookie` response header (RFC 6265).
 *
 * @module
 */

/** Attributes of a `Set-Cookie` header. */
export interface SetCookieAttributes {
  maxAgeSeconds: number;
  /** Absolute expiry for old user agents that ignore `Max-Age`. */
  expires: Date;
  path: string;
  domain: string | undefined;
  secure: boolean;
  httpOnly: boolean;
  sameSite: 'Lax' | 'Strict' | 'None';
}

/**
 * Every value the `Cookie` header carries for `name`, in order. A browser sends several when cookies of
 * the same name exist for different paths or domains, which the caller must treat as suspicious.
 *
 * @example
 * ```ts
 * cookieValues('a=1; sid=x; b=2', 'sid'); // ['x']
 * ```
 */
export function cookieValues(header: string, name: string): string[] {
  const out: string[] = [];
  let start = 0;
  // Bounded by the header length: each iteration consumes at least one character.
  while (start < header.length) {
    let end = header.indexOf(';', start);
    if (end === -1) end = header.length;
    const eq = header.indexOf('=', start);
    if (eq !== -1 && eq < end && header.slice(start, eq).trim() === name) {
      let value = header.slice(eq + 1, end).trim();
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      out.push(value);
    }
    start = end + 1;
  }
  return out;
}

/** Serialise a `Set-Cookie` header value. `value` must already be cookie-safe (the seal format is). */
export function serializeSetCookie(name: string, value: string, a: SetCookieAttributes): string {
  let out = `${name}=${value}; Max-Age=${a.maxAgeSeconds}; Expires=${a.expires.toUTCString()}; Path=${a.path}`;
  if (a.domain) out += `; Domain=${a.domain}`;
  if (a.secure) out += '; Secure';
  if (a.httpOnly) out += '; HttpOnly';
  out += `; SameSite=${a.sameSite}`;
  return out;
}
