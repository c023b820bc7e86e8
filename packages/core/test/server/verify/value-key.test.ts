/**
 * `valueKey`: the small integer that keys a header value in the verifier's warm maps. It only has to be
 * cheap, stable and well spread; the maps compare the whole value on a hit (see warm-fast-path.test.ts).
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { valueKey } from '../../../src/server/verify/credential-cache.js';

describe('valueKey', () => {
  it('is the same number for equal strings, however they were built', () => {
    const token = `pat_${randomBytes(30).toString('base64url')}`;
    const rebuilt = Buffer.from(token).toString();
    expect(valueKey(rebuilt)).toBe(valueKey(token));
    expect(valueKey(`${token.slice(0, 10)}${token.slice(10)}`)).toBe(valueKey(token));
  });

  it('is a non-negative 30-bit integer (a V8 small integer) for any input, empty included', () => {
    for (const value of ['', 'a', 'Bearer x', 'é'.repeat(40), 'x'.repeat(5000), `Bearer ${randomBytes(300).toString('base64url')}`]) {
      const key = valueKey(value);
      expect(Number.isInteger(key)).toBe(true);
      expect(key).toBeGreaterThanOrEqual(0);
      expect(key).toBeLessThan(2 ** 30);
    }
  });

  it('changes with the length and with any of the last 16 characters, not with the start of a long value', () => {
    const base = `Bearer pat_${'a'.repeat(40)}`;
    expect(valueKey(`${base}b`)).not.toBe(valueKey(base));
    for (let i = 1; i <= 16; i++) {
      const changed = `${base.slice(0, -i)}Z${base.slice(base.length - i + 1)}`;
      expect(changed).toHaveLength(base.length);
      expect(valueKey(changed), `character ${i} from the end`).not.toBe(valueKey(base));
    }
    // Only the tail is read: the head of a long value does not change the key (the maps compare in full).
    expect(valueKey(`X${base.slice(1)}`)).toBe(valueKey(base));
  });

  it('spreads random tokens: 20,000 distinct secrets give (almost) 20,000 distinct keys', () => {
    const keys = new Set<number>();
    const n = 20_000;
    for (let i = 0; i < n; i++) keys.add(valueKey(`Bearer pat_${randomBytes(30).toString('base64url')}`));
    // Expected collisions for 20,000 uniform 30-bit keys: n^2 / 2^31, about 0.19.
    expect(n - keys.size).toBeLessThanOrEqual(3);
  });
});
