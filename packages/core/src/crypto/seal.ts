import { createCipheriv, createDecipheriv, createHash, hkdfSync } from 'node:crypto';
import { pooledRandomBytes } from './random.js';

/**
 * Authenticated encryption (AES-256-GCM) of small JSON payloads, for session cookies, login
 * transactions and, on a JWT server, the successor response of a rotated refresh token.
 *
 * Format: `v1.<kid>.<iv>.<ciphertext+tag>` (base64url parts). The first secret seals; every secret opens,
 * so keys rotate without logging anyone out. A `purpose` is bound as associated data, so a value sealed
 * for one cookie name or use cannot be replayed as another. Expiry lives inside the seal.
 */
export interface Sealer {
  seal(payload: unknown, options: { purpose: string; ttlSeconds?: number; now?: number }): string;
  /** Returns the payload, or `null` if the value is malformed, tampered, expired or under an unknown key. */
  unseal<T = unknown>(sealed: string, options: { purpose: string; now?: number }): T | null;
}

interface Key {
  id: string;
  key: Buffer;
}

/** Minimum secret length accepted for sealing keys. */
export const MIN_SECRET_LENGTH = 32;

function deriveKey(secret: string, info: string): Key {
  const key = Buffer.from(hkdfSync('sha256', secret, 'auth-seal-v1', info, 32));
  const id = createHash('sha256').update(key).digest('base64url').slice(0, 6);
  return { id, key };
}

/**
 * Create a sealer from secrets, newest first. Each secret must be at least 32 characters.
 * `info` separates key material between uses of the same secrets.
 */
export function createSealer(secrets: readonly string[], info = 'seal'): Sealer {
  if (!secrets.length) throw new TypeError('At least one secret is required');
  for (const s of secrets) {
    if (typeof s !== 'string' || s.length < MIN_SECRET_LENGTH) {
      throw new TypeError(`Every secret must be a string of at least ${MIN_SECRET_LENGTH} characters`);
    }
  }
  const keys = secrets.map((s) => deriveKey(s, info));
  const current = keys[0]!;
  const byId = new Map(keys.map((k) => [k.id, k] as const));

  return {
    seal(payload, { purpose, ttlSeconds, now = Date.now() }) {
      const exp = ttlSeconds === undefined ? 0 : Math.floor(now / 1000) + ttlSeconds;
      // 96 random bits per seal, each CSPRNG byte used once (AES-GCM needs IVs that never repeat).
      const iv = pooledRandomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv);
      cipher.setAAD(Buffer.from(purpose));
      const plain = Buffer.from(JSON.stringify({ e: exp, p: payload }));
      const ct = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return `v1.${current.id}.${iv.toString('base64url')}.${ct.toString('base64url')}`;
    },
    unseal<T>(sealed: string, { purpose, now = Date.now() }: { purpose: string; now?: number }): T | null {
      if (typeof sealed !== 'string' || sealed.length > 16_384) return null;
      const parts = sealed.split('.');
      if (parts.length !== 4 || parts[0] !== 'v1') return null;
      const key = byId.get(parts[1]!);
      if (!key) return null;
      try {
        const iv = Buffer.from(parts[2]!, 'base64url');
        const data = Buffer.from(parts[3]!, 'base64url');
        if (iv.length !== 12 || data.length < 17) return null;
        // Base64url decoding ignores trailing bits and junk: accept only the one canonical spelling,
        // so a value that differs from what we sealed never opens.
        if (iv.toString('base64url') !== parts[2] || data.toString('base64url') !== parts[3]) return null;
        const decipher = createDecipheriv('aes-256-gcm', key.key, iv);
        decipher.setAAD(Buffer.from(purpose));
        decipher.setAuthTag(data.subarray(data.length - 16));
        const plain = Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]);
        const parsed = JSON.parse(plain.toString('utf8')) as { e: number; p: T };
        if (parsed.e && parsed.e * 1000 <= now) return null;
        return parsed.p;
      } catch {
        return null;
      }
    },
  };
}
