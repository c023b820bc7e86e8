/**
 * Validation of what host applications pass to the credential managers. Bad input is an `OAuthError`
 * with status 400 (`invalid_request`, or RFC 7591 codes for clients), never a crash or a 500.
 *
 * @module
 */
import { OAuthError } from '../../errors.js';
import { toMs, type Duration } from '../../util/duration.js';

/** Refuse input with a 400 `invalid_request`. */
export function invalidInput(description: string): OAuthError {
  return new OAuthError('invalid_request', description, { status: 400 });
}

/** An unknown id: 404. */
export function notFound(what: string): OAuthError {
  return new OAuthError('invalid_request', `No such ${what}`, { status: 404 });
}

const SCOPE_TOKEN_RE = /^[\x21\x23-\x5b\x5d-\x7e]{1,128}$/;
/**
 * User and business ids travel in `X-USER-ID` / `X-BUSINESS-ID`: printable ASCII without spaces or
 * commas (a comma would read as a repeated header).
 */
const ID_RE = /^[\x21-\x2b\x2d-\x7e]{1,256}$/;
const LABEL_INVALID = /\p{Cc}/u;

/** A display name: 1-200 characters, no control characters. Returned trimmed. */
export function checkName(value: unknown, field = 'name'): string {
  if (typeof value !== 'string') throw invalidInput(`\`${field}\` must be a string`);
  const name = value.trim();
  if (name.length < 1 || name.length > 200 || LABEL_INVALID.test(name)) {
    throw invalidInput(`\`${field}\` must be 1-200 characters without control characters`);
  }
  return name;
}

/** A user, business or client id. */
export function checkId(value: unknown, field: string): string {
  if (typeof value !== 'string' || !ID_RE.test(value)) {
    throw invalidInput(`\`${field}\` must be 1-256 printable ASCII characters without spaces or commas`);
  }
  return value;
}

/** An optional id: `undefined` and `null` become `null`. */
export function checkOptionalId(value: unknown, field: string): string | null {
  return value === undefined || value === null ? null : checkId(value, field);
}

/** RFC 6749 scope tokens, deduplicated, at most 100. */
export function checkScopes(value: unknown, field = 'scopes'): string[] {
  if (!Array.isArray(value)) throw invalidInput(`\`${field}\` must be an array of scope strings`);
  if (value.length > 100) throw invalidInput(`\`${field}\` may hold at most 100 scopes`);
  for (const s of value) {
    if (typeof s !== 'string' || !SCOPE_TOKEN_RE.test(s)) {
      throw invalidInput(`\`${field}\` must hold RFC 6749 scope tokens (printable ASCII, no spaces, quotes or backslashes)`);
    }
  }
  return [...new Set(value as string[])];
}

/** How long an issued credential lives: an absolute time or a duration from now, or neither (no expiry). */
export type ExpiryInput =
  | { expiresAt?: undefined; expiresIn?: undefined }
  | { expiresAt: number | Date | null; expiresIn?: undefined }
  | { expiresIn: Duration | null; expiresAt?: undefined };

/** Resolve {@link ExpiryInput} to epoch ms or null; an expiry not in the future is refused. */
export function checkExpiry(input: { expiresAt?: number | Date | null; expiresIn?: Duration | null }, now: number): number | null {
  if (input.expiresAt != null && input.expiresIn != null) throw invalidInput('Give `expiresAt` or `expiresIn`, not both');
  let at: number | null = null;
  if (input.expiresIn != null) {
    try {
      at = now + toMs(input.expiresIn);
    } catch {
      throw invalidInput('`expiresIn` must be a duration such as "90d"');
    }
  } else if (input.expiresAt != null) {
    at = input.expiresAt instanceof Date ? input.expiresAt.getTime() : input.expiresAt;
    if (typeof at !== 'number' || !Number.isFinite(at)) throw invalidInput('`expiresAt` must be a time');
  }
  if (at !== null && at <= now) throw invalidInput('The expiry must be in the future');
  return at;
}

/** A rotation overlap in ms (0 = revoke the old secret at once). */
export function checkOverlap(value: Duration | undefined): number {
  if (value === undefined) return 0;
  try {
    return toMs(value);
  } catch {
    throw invalidInput('`overlap` must be a duration such as "24h"');
  }
}
