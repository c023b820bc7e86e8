/**
 * Parsing `Authorization: <scheme> <token>` (RFC 9110 section 11.6.2, RFC 6750 section 2.1).
 *
 * @module
 */
import { InvalidRequestError, type ChallengeOptions } from '../../errors.js';

/** A parsed `Authorization` header. */
export interface AuthorizationCredentials {
  /** The scheme, lowercased: schemes are case-insensitive. */
  scheme: string;
  token: string;
}

const SCHEME_RE = /^[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*$/;
/** RFC 6750 `b64token`: covers opaque secrets and JWTs. */
const B64TOKEN_RE = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Split an already trimmed, printable-ASCII `Authorization` value. Several spaces between scheme and
 * token are allowed (`1*SP`); an empty token, a space inside the token or a character outside `b64token`
 * is a 400 `invalid_request`.
 */
export function parseAuthorization(value: string, challenge: ChallengeOptions): AuthorizationCredentials {
  const space = value.indexOf(' ');
  const scheme = space === -1 ? value : value.slice(0, space);
  if (!SCHEME_RE.test(scheme)) throw new InvalidRequestError('The Authorization header is malformed', challenge);
  const token = space === -1 ? '' : value.slice(space + 1).replace(/^ +/, '');
  if (token === '') throw new InvalidRequestError('The Authorization header has an empty credential', challenge);
  if (!B64TOKEN_RE.test(token)) throw new InvalidRequestError('The Authorization header is malformed', challenge);
  return { scheme: scheme.toLowerCase(), token };
}
