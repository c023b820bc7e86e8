import { createHmac, hash, timingSafeEqual } from 'node:crypto';

/** SHA-256 of a string, base64url. */
export function sha256(input: string): string {
  // The one-shot `crypto.hash` (Node >= 20.12) costs a third of a `createHash` object per call.
  return hash('sha256', input, 'base64url');
}

/**
 * Hash a high-entropy secret for storage. A fast keyed hash is right for >= 160-bit random secrets (no
 * dictionary to attack); the server-side pepper means a stolen database alone cannot confirm a guess.
 */
export function hashSecret(secret: string, pepper?: string): string {
  return pepper ? createHmac('sha256', pepper).update(secret).digest('base64url') : sha256(secret);
}

/** Constant-time string comparison (length leaks, content does not). */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  if (ab.length !== bb.length) {
    timingSafeEqual(ab, ab);
    return false;
  }
  return timingSafeEqual(ab, bb);
}
