import { randomBytes, randomFillSync, randomInt } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * CSPRNG bytes drawn in blocks: a token response mints two or three secrets, and one `randomFillSync`
 * per secret cost more than the rest of issuing them. Each byte is handed out exactly once (as Node's
 * own `randomUUID` cache does), so a block is as unpredictable as the same bytes drawn one call at a time.
 */
const POOL_SIZE = 4096;
const pool = Buffer.allocUnsafeSlow(POOL_SIZE);
let poolOffset = POOL_SIZE;
/** Character codes of the base62 alphabet, in ASCII order (so base62 strings sort like their numbers). */
export const BASE62_CODES = Uint8Array.from(BASE62, (c) => c.charCodeAt(0));
const scratch = Buffer.allocUnsafeSlow(64);

/** `bytes` random bytes from the CSPRNG, base64url-encoded. */
export function randomBase64url(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** `length` (at most 256) bytes from the CSPRNG block, as a buffer of their own: for IVs and nonces. */
export function pooledRandomBytes(length: number): Buffer {
  if (!Number.isInteger(length) || length < 0 || length > 256) throw new RangeError('pooledRandomBytes: 0 to 256 bytes');
  if (poolOffset + length > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const out = Buffer.from(pool.subarray(poolOffset, poolOffset + length));
  poolOffset += length;
  return out;
}

/** `length` random base62 characters from the CSPRNG (unbiased: rejection sampling). */
export function randomBase62(length: number): string {
  // Characters go into a scratch buffer decoded once: appending one at a time builds a rope of
  // `length` pieces that has to be flattened again.
  const out = length <= scratch.length ? scratch : Buffer.allocUnsafe(length);
  fillRandomBase62(out, 0, length);
  return out.toString('latin1', 0, length);
}

/** Write `length` random base62 character codes into `out` at `offset`; returns the offset after them. */
export function fillRandomBase62(out: Uint8Array, offset: number, length: number): number {
  const end = offset + length;
  let n = offset;
  while (n < end) {
    if (poolOffset === POOL_SIZE) {
      randomFillSync(pool);
      poolOffset = 0;
    }
    const b = pool[poolOffset++]!;
    // 248 = 4 * 62: bytes above it would favour the first characters.
    if (b < 248) out[n++] = BASE62_CODES[b % 62]!;
  }
  return end;
}

/**
 * Write a non-negative integer (up to 2^53) as `width` base62 character codes into `out` at `offset`,
 * left-padded with `0` (digits beyond `width` are dropped); returns the offset after them.
 */
export function writeBase62(out: Uint8Array, offset: number, value: number, width: number): number {
  let n = Math.floor(Math.max(0, value));
  for (let i = offset + width - 1; i >= offset; i--) {
    out[i] = BASE62_CODES[n % 62]!;
    n = Math.floor(n / 62);
  }
  return offset + width;
}

/** A random identifier suitable for record ids (not secret). */
export function randomId(length = 16): string {
  return randomBase62(length);
}

/**
 * A unique, unguessable record id that sorts by creation time: 8 base62 characters of the millisecond
 * clock, then `randomLength` random ones. Index inserts of such ids land at the right edge of a B-tree
 * instead of on a random page (a token family index is written on every grant). Reveals when it was made.
 */
export function timeOrderedId(randomLength = 14): string {
  return toBase62(Date.now(), 8) + randomBase62(randomLength);
}

/** Full jitter helper: a uniform integer in [0, max). */
export function randomBelow(max: number): number {
  return max <= 0 ? 0 : randomInt(Math.max(1, Math.floor(max)));
}

/**
 * Encode a non-negative integer (up to 2^53) in `width` (at most 64) base62 characters, left-padded with
 * `0`; digits beyond `width` are dropped (see {@link writeBase62}).
 */
export function toBase62(value: number, width: number): string {
  if (!Number.isInteger(width) || width < 1 || width > scratch.length) throw new RangeError('toBase62: width 1 to 64');
  return scratch.toString('latin1', 0, writeBase62(scratch, 0, value, width));
}
