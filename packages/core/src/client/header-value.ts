import { ConfigError } from '../errors.js';

// RFC 9110 token characters: what a header field name may contain.
const HEADER_NAME_RE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Visible ASCII plus space/tab inside, no leading/trailing whitespace: no header injection, no CR/LF.
const HEADER_VALUE_RE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;
// A credential is a single token: visible ASCII, no spaces.
const CREDENTIAL_RE = /^[\x21-\x7e]+$/;

/** Throw a {@link ConfigError} unless `name` is a valid HTTP header field name. */
export function assertHeaderName(name: unknown, what: string): asserts name is string {
  if (typeof name !== 'string' || !HEADER_NAME_RE.test(name)) {
    throw new ConfigError(`${what} must be a valid HTTP header name`);
  }
}

/** Throw a {@link ConfigError} unless `value` can be sent as a header value. Never echoes the value. */
export function assertHeaderValue(value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string' || !HEADER_VALUE_RE.test(value)) {
    throw new ConfigError(`${what} must be a non-empty string of visible ASCII characters`);
  }
}

/** Throw a {@link ConfigError} unless `value` is a non-empty credential without whitespace. */
export function assertCredential(value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string' || !CREDENTIAL_RE.test(value)) {
    throw new ConfigError(`${what} must be a non-empty string without whitespace or control characters`);
  }
}

/** Throw a {@link ConfigError} unless `value` is a non-empty string (any characters). */
export function assertNonEmpty(value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ConfigError(`${what} must be a non-empty string`);
  }
}
