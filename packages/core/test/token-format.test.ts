import { describe, expect, it } from 'vitest';
import { generateSecret, parseSecret, secretHint } from '../src/crypto/token-format.js';
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
