import { crc32 } from 'node:zlib';
import { randomBase62, toBase62 } from './random.js';

/**
 * Issued secrets look like `<prefix>_<32 base62 chars><6 base62 checksum>`, for example
 * `ak_4Dq9...Zk02Xy1a`. The kind prefix makes a leaked secret recognisable (secret scanners match on
 * it); the CRC32 checksum lets {@link parseSecret} refuse a mistyped or junk value before any store
 * lookup. 32 base62 characters carry 190 bits from the CSPRNG.
 */
export const SECRET_BODY_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
const PREFIX_RE = /^[a-z][a-z0-9]{0,15}(?:_[a-z][a-z0-9]{0,15})?$/;
const BODY_RE = /^[0-9A-Za-z]+$/;

/** Kinds of secrets the server issues, with their default prefixes. */
export const DEFAULT_SECRET_PREFIXES = {
  apiKey: 'ak',
  personalToken: 'pat',
  secret: 'sk',
  clientSecret: 'cs',
  accessToken: 'at',
  refreshToken: 'rt',
  authorizationCode: 'ac',
  session: 'ss',
} as const;

/** A secret kind name. */
export type SecretKind = keyof typeof DEFAULT_SECRET_PREFIXES;

function checksum(prefixAndBody: string): string {
  return toBase62(crc32(prefixAndBody), CHECKSUM_LENGTH);
}

/** Generate a new secret with the given prefix (`[a-z][a-z0-9]*`, optionally `ns_kind`). */
export function generateSecret(prefix: string): string {
  if (!PREFIX_RE.test(prefix)) throw new TypeError(`Invalid secret prefix "${prefix}"`);
  const head = `${prefix}_${randomBase62(SECRET_BODY_LENGTH)}`;
  return head + checksum(head);
}

/**
 * Check a presented secret's shape and checksum without touching any store.
 * Returns the prefix when valid, `null` otherwise. Cheap: one CRC32 over ~40 bytes.
 */
export function parseSecret(value: string): { prefix: string } | null {
  const expectedTail = SECRET_BODY_LENGTH + CHECKSUM_LENGTH;
  if (value.length < expectedTail + 2 || value.length > expectedTail + 34) return null;
  const sep = value.length - expectedTail - 1;
  if (value.charCodeAt(sep) !== 95 /* _ */) return null;
  const prefix = value.slice(0, sep);
  const tail = value.slice(sep + 1);
  if (!PREFIX_RE.test(prefix) || !BODY_RE.test(tail)) return null;
  const head = value.slice(0, value.length - CHECKSUM_LENGTH);
  if (checksum(head) !== value.slice(value.length - CHECKSUM_LENGTH)) return null;
  return { prefix };
}

/** Last characters of a secret, safe to display to identify it ("...Xy1a"). */
export function secretHint(value: string): string {
  return value.slice(-4);
}
