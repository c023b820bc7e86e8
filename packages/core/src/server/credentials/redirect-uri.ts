/**
 * Validation of registered redirect URIs. The authorization server compares them by exact string, so
 * what is registered must be unambiguous: absolute, https (http only on loopback, RFC 8252 section 7.3),
 * no fragment (RFC 6749 section 3.1.2), no credentials, no wildcards.
 *
 * @module
 */
import { OAuthError } from '../../errors.js';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function invalidRedirectUri(description: string): OAuthError {
  return new OAuthError('invalid_redirect_uri', description, { status: 400 });
}

/**
 * Return `uri` unchanged if it may be registered, else throw an `OAuthError` `invalid_redirect_uri` (400).
 *
 * @example
 * ```ts
 * checkRedirectUri('https://app.example.com/callback'); // ok
 * checkRedirectUri('http://127.0.0.1:8080/cb');          // ok: loopback
 * checkRedirectUri('https://app.example.com/cb#x');      // throws
 * ```
 */
export function checkRedirectUri(uri: unknown): string {
  if (typeof uri !== 'string' || uri.length === 0 || uri.length > 2000) {
    throw invalidRedirectUri('A redirect URI must be a string of 1-2000 characters');
  }
  if (/[^\x21-\x7e]/.test(uri)) {
    throw invalidRedirectUri('A redirect URI must be printable ASCII without spaces (percent-encode the rest)');
  }
  if (uri.includes('#')) throw invalidRedirectUri('A redirect URI must not contain a fragment');
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw invalidRedirectUri('A redirect URI must be an absolute URL');
  }
  if (url.username || url.password) throw invalidRedirectUri('A redirect URI must not contain credentials');
  if (uri.includes('*')) throw invalidRedirectUri('A redirect URI must not contain wildcards');
  if (url.protocol === 'https:') return uri;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return uri;
  throw invalidRedirectUri('A redirect URI must use https (http is allowed only on loopback)');
}
