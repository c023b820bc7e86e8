import { OAuthError } from '../../errors.js';

/** RFC 6749 section 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
const SCOPE_TOKEN_RE = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/**
 * Parse a `scope` parameter (space-delimited, RFC 6749 section 3.3) into distinct tokens, in order.
 * Undefined means the parameter was omitted. Malformed input is `invalid_scope`.
 */
export function parseScope(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const tokens = value.split(' ').filter((t) => t !== '');
  if (!tokens.length || tokens.length > 100) throw new OAuthError('invalid_scope', 'The scope is malformed');
  for (const t of tokens) {
    if (t.length > 256 || !SCOPE_TOKEN_RE.test(t)) throw new OAuthError('invalid_scope', 'The scope is malformed');
  }
  return [...new Set(tokens)];
}

/**
 * The scopes to grant: the requested ones when they are all within `allowed`, or all of `allowed` when
 * none were requested. Anything outside `allowed` is `invalid_scope`.
 */
export function grantScopes(requested: string[] | undefined, allowed: readonly string[]): string[] {
  if (requested === undefined) return [...allowed];
  const held = new Set(allowed);
  if (!requested.every((s) => held.has(s))) {
    throw new OAuthError('invalid_scope', 'The requested scope exceeds what is allowed');
  }
  return requested;
}
