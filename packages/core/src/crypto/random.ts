import { randomBytes, randomInt } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `bytes` random bytes from the CSPRNG, base64url-encoded. */
export function randomBase64url(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** `length` random base62 characters from the CSPRNG (unbiased: rejection sampling). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    const buf = randomBytes(length * 2);
    for (let i = 0; i < buf.length && out.length < length; i++) {
      const b = buf[i]!;
      if (b < 248) out += BASE62[b % 62];
    }
  }
  return out;
}

/** A random identifier suitable for record ids (not secret). */
export function randomId(length = 16): string {
  return randomBase62(length);
}

/** Full jitter helper: a uniform integer in [0, max). */
export function randomBelow(max: number): number {
  return max <= 0 ? 0 : randomInt(Math.max(1, Math.floor(max)));
}

/** Encode a non-negative integer in base62, left-padded to `width`. */
export function toBase62(value: number, width: number): string {
  let n = value >>> 0;
  let out = '';
  do {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  } while (n > 0);
  return out.padStart(width, '0');
}
