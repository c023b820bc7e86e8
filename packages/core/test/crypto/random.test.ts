import { describe, expect, it, vi } from 'vitest';
import { pooledRandomBytes, randomBase62, timeOrderedId, toBase62 } from '../../src/crypto/random.js';

describe('randomBase62', () => {
  it('gives the asked length of base62 characters, different every time, across pool refills', () => {
    const seen = new Set<string>();
    // 2,000 x 38 characters draws far more than one 4 KiB block.
    for (let i = 0; i < 2000; i++) {
      const s = randomBase62(38);
      expect(s).toMatch(/^[0-9A-Za-z]{38}$/);
      seen.add(s);
    }
    expect(seen.size).toBe(2000);
    expect(randomBase62(200)).toHaveLength(200);
    expect(randomBase62(0)).toBe('');
  });

  it('uses every character about equally (rejection sampling, no modulo bias)', () => {
    const counts = new Map<string, number>();
    const text = randomBase62(62 * 2000);
    for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    for (const n of counts.values()) expect(n).toBeGreaterThan(1600);
  });
});

describe('timeOrderedId', () => {
  it('sorts by creation time and stays unique within a millisecond', () => {
    const now = vi.spyOn(Date, 'now');
    now.mockReturnValue(1_700_000_000_000);
    const a = [timeOrderedId(), timeOrderedId()];
    now.mockReturnValue(1_700_000_000_001);
    const b = timeOrderedId();
    now.mockRestore();
    expect(a[0]).not.toBe(a[1]);
    for (const id of [...a, b]) expect(id).toMatch(/^[0-9A-Za-z]{22}$/);
    expect(a[0]!.slice(0, 8)).toBe(a[1]!.slice(0, 8));
    expect([b, ...a].sort()[2]).toBe(b);
  });

  it('encodes wide integers in order (timestamps need more than 32 bits)', () => {
    expect(toBase62(0, 8)).toBe('00000000');
    expect(toBase62(61, 2)).toBe('0z');
    expect(toBase62(2 ** 40, 8) > toBase62(2 ** 40 - 1, 8)).toBe(true);
    expect(toBase62(4_294_967_295, 6)).toBe('4gfFC3');
  });
});

describe('pooledRandomBytes', () => {
  it('hands out fresh, distinct bytes, each a buffer of its own, across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const iv = pooledRandomBytes(12);
      expect(iv).toHaveLength(12);
      seen.add(iv.toString('hex'));
    }
    expect(seen.size).toBe(1000);
    const a = pooledRandomBytes(16);
    const copy = Buffer.from(a);
    pooledRandomBytes(200);
    expect(a.equals(copy)).toBe(true);
    expect(() => pooledRandomBytes(257)).toThrow(RangeError);
  });
});
