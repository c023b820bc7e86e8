import { crc32 } from 'node:zlib';
import { BASE62_CODES, fillRandomBase62, toBase62, writeBase62 } from './random.js';

/**
 * Issued secrets look like `<prefix>_<32 base62 chars><6 base62 checksum>`, for example
 * `ak_4Dq9...Zk02Xy1a`. The kind prefix makes a leaked secret recognisable (secret scanners match on
 * it); the CRC32 checksum lets {@link parseSecret} refuse a mistyped or junk value before any store
 * lookup. 32 base62 characters carry 190 bits from the CSPRNG.
 *
 * A time-ordered secret (OAuth access and refresh tokens, authorization codes: see
 * {@link GenerateSecretOptions.timeOrdered}) opens its body with {@link CLOCK_SEGMENT_LENGTH} characters
 * of the millisecond clock before the same 32 random ones: `<prefix>_<8 clock><32 random><6 checksum>`.
 */
export const SECRET_BODY_LENGTH = 32;
/** Base62 characters of the millisecond clock that open a time-ordered secret (good for 6,900 years). */
export const CLOCK_SEGMENT_LENGTH = 8;
const CHECKSUM_LENGTH = 6;
const PLAIN_TAIL = SECRET_BODY_LENGTH + CHECKSUM_LENGTH;
const ORDERED_TAIL = CLOCK_SEGMENT_LENGTH + PLAIN_TAIL;
/** The longest prefix `PREFIX_RE` admits (`ns_kind`, 16 characters each). */
const MAX_PREFIX_LENGTH = 33;
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

/** Options of {@link generateSecret}. */
export interface GenerateSecretOptions {
  /**
   * Open the body with the millisecond clock, so values issued one after another sort together: a store
   * keeps them under {@link secretStorageKey}, whose index inserts then land on the B-tree's right edge
   * instead of a random page (OAuth tokens are written on every grant). Reveals when the value was
   * issued, which a token's `expires_in` tells anyway; the 32 random characters are unchanged.
   */
  timeOrdered?: boolean;
}

/** Where {@link generateSecret} writes a secret before decoding it once (the longest one fits). */
const secretScratch = Buffer.allocUnsafeSlow(MAX_PREFIX_LENGTH + 1 + ORDERED_TAIL);
/** Prefixes already checked against `PREFIX_RE`: a server mints from a handful, many times over. */
const checkedPrefixes = new Set<string>();

/**
 * Start a secret in the scratch buffer: `<prefix>_`, then the clock segment when `clockMs` is given.
 * Returns where the 32 body characters go.
 */
function openSecret(prefix: string, clockMs: number | undefined): number {
  if (!checkedPrefixes.has(prefix)) {
    if (typeof prefix !== 'string' || !PREFIX_RE.test(prefix)) throw new TypeError(`Invalid secret prefix "${prefix}"`);
    if (checkedPrefixes.size < 64) checkedPrefixes.add(prefix);
  }
  let n = secretScratch.write(prefix, 0, 'latin1');
  secretScratch[n++] = 95; /* _ */
  return clockMs === undefined ? n : writeBase62(secretScratch, n, clockMs, CLOCK_SEGMENT_LENGTH);
}

/** Finish the secret whose first `n` characters are in the scratch buffer: its checksum, then the string. */
function closeSecret(n: number): string {
  // The CRC32 is taken over the bytes already written, and the whole secret decoded once: building the
  // string piece by piece and encoding it again for the checksum cost twice as much.
  const end = writeBase62(secretScratch, n, crc32(secretScratch.subarray(0, n)), CHECKSUM_LENGTH);
  return secretScratch.toString('latin1', 0, end);
}

/** Generate a new secret with the given prefix (`[a-z][a-z0-9]*`, optionally `ns_kind`). */
export function generateSecret(prefix: string, options?: GenerateSecretOptions): string {
  const n = openSecret(prefix, options?.timeOrdered ? Date.now() : undefined);
  return closeSecret(fillRandomBase62(secretScratch, n, SECRET_BODY_LENGTH));
}

/**
 * A secret of the usual shape whose 32 body characters come from `material` instead of the CSPRNG: for
 * values a server must be able to compute again (a rotated refresh token's successor pair, derived with
 * HMAC from the parent). `material` holds at least 64 bytes; each character is a 16-bit word modulo 62
 * (a bias of 2 in 65,536, so the 32 characters still carry 190 bits of the material's entropy).
 * `clockMs` opens the body with that clock segment (see {@link GenerateSecretOptions.timeOrdered}).
 */
export function deriveSecret(prefix: string, material: Uint8Array, clockMs?: number): string {
  if (material.length < SECRET_BODY_LENGTH * 2) throw new RangeError('deriveSecret: at least 64 bytes of material');
  let n = openSecret(prefix, clockMs);
  for (let i = 0; i < SECRET_BODY_LENGTH; i++) secretScratch[n++] = BASE62_CODES[((material[2 * i]! << 8) | material[2 * i + 1]!) % 62]!;
  return closeSecret(n);
}

/**
 * The clock segment of a time-ordered secret's shape (see {@link GenerateSecretOptions.timeOrdered}),
 * or `''` for any other value. Looks at the length only: no checksum, nothing trusted.
 */
export function clockSegment(value: string): string {
  // A plain secret's separator sits 39 characters from the end (a prefix may hold a `_` of its own).
  if (value.charCodeAt(value.length - PLAIN_TAIL - 1) === 95 /* _ */) return '';
  const sep = value.length - ORDERED_TAIL - 1;
  if (sep < 1 || value.charCodeAt(sep) !== 95) return '';
  return value.slice(sep + 1, sep + 1 + CLOCK_SEGMENT_LENGTH);
}

/**
 * Check a presented secret's shape and checksum without touching any store.
 * Returns the prefix when valid, `null` otherwise. Cheap: one CRC32 over ~40 bytes.
 */
export function parseSecret(value: string): { prefix: string } | null {
  if (value.length < PLAIN_TAIL + 2 || value.length > ORDERED_TAIL + MAX_PREFIX_LENGTH + 1) return null;
  // The body is base62, so the separator is the last `_`, at one of the two tail lengths.
  let sep = value.length - PLAIN_TAIL - 1;
  if (value.charCodeAt(sep) !== 95 /* _ */) {
    sep = value.length - ORDERED_TAIL - 1;
    if (sep < 1 || value.charCodeAt(sep) !== 95) return null;
  }
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
