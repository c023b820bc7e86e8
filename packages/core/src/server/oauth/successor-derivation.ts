/**
 * The successor pair of a rotated refresh token, computed from the parent instead of drawn at random,
 * so a repeat of the parent inside the grace window gets the identical pair without the pair being
 * stored anywhere: not in plaintext, and not sealed either (sealing the response cost a rotation about a
 * fifth of its CPU, between the AES-GCM seal and the larger row it made the store rewrite).
 *
 * `HMAC-SHA-512(key, label | parent token)` gives the 32 random characters of each successor (label `a`
 * for the access token, `r` for the refresh token); the clock segment is the rotation time, which the
 * store keeps on the parent (`rotatedAt`). Computing a successor takes the parent token in plaintext,
 * which the store never holds (only its hash), and a key derived from the server's `secrets`. The store
 * keeps a short marker on the parent (`d1.<key id>`) in place of the sealed response: it names the key,
 * so a retry after the secrets rotated still derives with the key the pair was made with.
 *
 * Only opaque access tokens are derived: a JWT access token carries a signature over claims that include
 * its issue time, and the response with it is sealed as before.
 *
 * @module
 */
import { createHash, createHmac, hkdfSync, type KeyObject, createSecretKey } from 'node:crypto';
import { deriveSecret } from '../../crypto/token-format.js';

/** A derived successor pair. */
export interface SuccessorPair {
  accessToken: string;
  refreshToken: string;
}

/** Derives the successor pairs of rotated refresh tokens. */
export interface SuccessorDerivation {
  /** What the store keeps on a rotated parent instead of a sealed response: `d1.<key id>` of the current key. */
  readonly marker: string;
  /** Whether a stored successor is such a marker (and not a sealed response of an earlier version or a JWT server). */
  isMarker(successor: string): boolean;
  /**
   * The pair of `parentToken` rotated at `rotatedAt`, under the key `marker` names (default: the current
   * key, which always derives); `null` when the marker names no key these secrets hold.
   */
  derive(parentToken: string, rotatedAt: number): SuccessorPair;
  derive(parentToken: string, rotatedAt: number, marker: string): SuccessorPair | null;
}

const MARKER_PREFIX = 'd1.';

/**
 * Create the derivation from the server's `secrets` (newest first; each already checked by the sealer)
 * and the token prefixes.
 */
export function createSuccessorDerivation(
  secrets: readonly string[],
  prefixes: { accessToken: string; refreshToken: string },
): SuccessorDerivation {
  const keys = new Map<string, KeyObject>();
  let current: string | undefined;
  for (const secret of secrets) {
    const raw = Buffer.from(hkdfSync('sha256', secret, 'auth-successor-v1', 'refresh-token-successor', 32));
    const marker = `${MARKER_PREFIX}${createHash('sha256').update(raw).digest('base64url').slice(0, 6)}`;
    current ??= marker;
    if (!keys.has(marker)) keys.set(marker, createSecretKey(raw));
  }
  if (current === undefined) throw new TypeError('At least one secret is required');
  const currentMarker = current;
  const currentKey = keys.get(currentMarker)!;
  const material = (key: KeyObject, label: string, parent: string) => createHmac('sha512', key).update(label).update(parent).digest();
  const pairOf = (key: KeyObject, parentToken: string, rotatedAt: number): SuccessorPair => ({
    accessToken: deriveSecret(prefixes.accessToken, material(key, 'a|', parentToken), rotatedAt),
    refreshToken: deriveSecret(prefixes.refreshToken, material(key, 'r|', parentToken), rotatedAt),
  });
  function derive(parentToken: string, rotatedAt: number): SuccessorPair;
  function derive(parentToken: string, rotatedAt: number, marker: string): SuccessorPair | null;
  function derive(parentToken: string, rotatedAt: number, marker?: string): SuccessorPair | null {
    const key = marker === undefined ? currentKey : keys.get(marker);
    return key === undefined ? null : pairOf(key, parentToken, rotatedAt);
  }
  return {
    marker: currentMarker,
    isMarker: (successor) => successor.startsWith(MARKER_PREFIX),
    derive,
  };
}
