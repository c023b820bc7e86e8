export { randomBase64url, randomBase62, randomId } from './random.js';
export { sha256, hashSecret, secretStorageKey, safeEqual } from './hash.js';
export {
  generateSecret,
  clockSegment,
  CLOCK_SEGMENT_LENGTH,
  type GenerateSecretOptions,
  parseSecret,
  secretHint,
  DEFAULT_SECRET_PREFIXES,
  SECRET_BODY_LENGTH,
  type SecretKind,
} from './token-format.js';
export { createSealer, MIN_SECRET_LENGTH, type Sealer } from './seal.js';
export { generateCodeVerifier, s256CodeChallenge, CODE_VERIFIER_RE } from './pkce.js';
