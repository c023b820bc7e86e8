/**
 * Where a browser may be sent after signing in or out: same-origin relative paths only, so the sign-in
 * routes can never be used as an open redirector (`/login?returnTo=https://evil.example`).
 *
 * @module
 */

const MAX_RETURN_TO = 2000;

/**
 * `value` if it is a same-origin relative path (`/dashboard?tab=1#x`), else `null`.
 *
 * Refused: absolute URLs, scheme-relative `//host`, backslash tricks (`/\host`, which browsers read as
 * `//host`), control characters and whitespace (browsers strip tabs and newlines, turning `/\t/host` into
 * `//host`), and anything that resolves to another origin.
 *
 * @example
 * ```ts
 * safeReturnTo('/account?tab=keys'); // '/account?tab=keys'
 * safeReturnTo('//evil.example');    // null
 * ```
 */
export function safeReturnTo(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_RETURN_TO) return null;
  if (!value.startsWith('/') || value.startsWith('//')) return null;
  if (/[\\\s\p{Cc}]/u.test(value)) return null;
  // Resolve against a placeholder origin: whatever survives the checks above must stay on it.
  const base = 'https://return-to.invalid';
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return null;
  }
  if (url.origin !== base) return null;
  return url.pathname + url.search + url.hash;
}
