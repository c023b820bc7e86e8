import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashSecret, safeEqual, sha256 } from '../../src/crypto/hash.js';

describe('sha256 and hashSecret', () => {
  it('match the FIPS 180-2 vector and createHash / createHmac, base64url', () => {
    expect(sha256('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
    for (const secret of ['', 'at_0123456789abcdefghijABCDEFGHIJ0123456', 'é ünicode ✓']) {
      expect(hashSecret(secret)).toBe(createHash('sha256').update(secret).digest('base64url'));
      expect(hashSecret(secret, 'pepper')).toBe(createHmac('sha256', 'pepper').update(secret).digest('base64url'));
      expect(hashSecret(secret, 'pepper')).not.toBe(hashSecret(secret));
    }
  });

  it('safeEqual compares content, and refuses different lengths', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
