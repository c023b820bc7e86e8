import { describe, expect, it } from 'vitest';
import { clockSegment, generateSecret, parseSecret, secretHint } from '../src/crypto/token-format.js';
import { hashSecret, secretStorageKey } from '../src/crypto/hash.js';
import { createSealer } from '../src/crypto/seal.js';
import { s256CodeChallenge } from '../src/crypto/pkce.js';

describe('secret format', () => {
  it('round-trips and carries its prefix', () => {
    const s = generateSecret('ak');
    expect(s).toMatch(/^ak_[0-9A-Za-z]{38}$/);
    expect(parseSecret(s)).toEqual({ prefix: 'ak' });
    expect(parseSecret(generateSecret('acme_pat'))).toEqual({ prefix: 'acme_pat' });
    expect(secretHint(s)).toBe(s.slice(-4));
  });

  it('refuses a single changed character, junk and wrong lengths', () => {
    const s = generateSecret('pat');
    const i = 10;
    const flipped = s.slice(0, i) + (s[i] === 'a' ? 'b' : 'a') + s.slice(i + 1);
    expect(parseSecret(flipped)).toBeNull();
    expect(parseSecret(s.slice(0, -1))).toBeNull();
    expect(parseSecret(`${s}x`)).toBeNull();
    expect(parseSecret('')).toBeNull();
    expect(parseSecret('pat_' + 'x'.repeat(38))).toBeNull();
    expect(parseSecret(s.replace('_', '-'))).toBeNull();
  });

  it('draws at least 160 bits: 1,000 secrets are distinct', () => {
    const set = new Set(Array.from({ length: 1000 }, () => generateSecret('sk')));
    expect(set.size).toBe(1000);
  });
});

describe('time-ordered secrets', () => {
  it('open with 8 characters of the clock before the same 32 random ones, and parse', () => {
    const before = Date.now();
    const s = generateSecret('at', { timeOrdered: true });
    expect(s).toMatch(/^at_[0-9A-Za-z]{46}$/);
    expect(parseSecret(s)).toEqual({ prefix: 'at' });
    expect(parseSecret(generateSecret('acme_rt', { timeOrdered: true }))).toEqual({ prefix: 'acme_rt' });
    const clock = clockSegment(s);
    expect(clock).toHaveLength(8);
    // The segment decodes to the issue time (base62, digits then upper then lower case).
    const ms = [...clock].reduce((n, c) => n * 62 + '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'.indexOf(c), 0);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now());
  });

  it('sort by issue time, byte for byte (the order a B-tree keeps)', async () => {
    const first = generateSecret('rt', { timeOrdered: true });
    await new Promise((resolve) => setTimeout(resolve, 3));
    const second = generateSecret('rt', { timeOrdered: true });
    expect(Buffer.compare(Buffer.from(secretStorageKey(first)), Buffer.from(secretStorageKey(second)))).toBe(-1);
  });

  it('refuse a changed clock character, and tails of any other length', () => {
    const s = generateSecret('ac', { timeOrdered: true });
    const i = 5;
    expect(parseSecret(s.slice(0, i) + (s[i] === '1' ? '2' : '1') + s.slice(i + 1))).toBeNull();
    expect(parseSecret(s.slice(0, 3) + s.slice(4))).toBeNull();
    expect(parseSecret(`${s.slice(0, -6)}x${s.slice(-6)}`)).toBeNull();
  });

  it('a plain secret has no clock segment, whatever its prefix; its storage key is its hash', () => {
    for (const prefix of ['ak', 'pat', 'acme_pat', 'abcdefghijklmnop_sk', 'a_abcdefg']) {
      const s = generateSecret(prefix);
      expect(clockSegment(s)).toBe('');
      expect(secretStorageKey(s, 'pepper')).toBe(hashSecret(s, 'pepper'));
    }
    expect(clockSegment('')).toBe('');
    expect(clockSegment('x'.repeat(60))).toBe('');
  });

  it("a time-ordered secret's storage key is its clock segment, then the keyed hash", () => {
    const s = generateSecret('at', { timeOrdered: true });
    expect(secretStorageKey(s, 'pepper')).toBe(clockSegment(s) + hashSecret(s, 'pepper'));
    expect(secretStorageKey(s)).toBe(clockSegment(s) + hashSecret(s));
  });
});

describe('sealer', () => {
  const k1 = 'k'.repeat(32);
  const k2 = 'n'.repeat(32);

  it('opens what it sealed, binds the purpose, expires inside the seal', () => {
    const s = createSealer([k1]);
    const sealed = s.seal({ sid: 'abc' }, { purpose: 'session', ttlSeconds: 60, now: 1_000_000 });
    expect(s.unseal(sealed, { purpose: 'session', now: 1_000_000 })).toEqual({ sid: 'abc' });
    expect(s.unseal(sealed, { purpose: 'other', now: 1_000_000 })).toBeNull();
    expect(s.unseal(sealed, { purpose: 'session', now: 1_000_000 + 61_000 })).toBeNull();
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(s.unseal(tampered, { purpose: 'session', now: 1_000_000 })).toBeNull();
    // Non-canonical spellings of the same bytes (an extra trailing character) must not open either.
    expect(s.unseal(`${sealed}A`, { purpose: 'session', now: 1_000_000 })).toBeNull();
  });

  it('rotates keys: new key seals, old key still opens, retired key does not', () => {
    const old = createSealer([k1]).seal(1, { purpose: 'p' });
    expect(createSealer([k2, k1]).unseal(old, { purpose: 'p' })).toBe(1);
    expect(createSealer([k2]).unseal(old, { purpose: 'p' })).toBeNull();
  });
});

describe('PKCE', () => {
  it('matches the RFC 7636 Appendix B vector', () => {
    expect(s256CodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });
});
