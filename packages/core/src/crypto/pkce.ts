import { createHash } from 'node:crypto';
import { randomBase64url } from './random.js';

/** RFC 7636 section 4.1: 43-128 characters from the unreserved set. */
export const CODE_VERIFIER_RE = /^[A-Za-z0-9\-._~]{43,128}$/;

/** A fresh PKCE code verifier (32 random bytes -> 43 characters). Never reuse one. */
export function generateCodeVerifier(): string {
  return randomBase64url(32);
}

/** The S256 code challenge for a verifier (RFC 7636 section 4.2). `plain` is deliberately not offered. */
export function s256CodeChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}
