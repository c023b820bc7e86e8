/** The derived successor pair of a rotated refresh token: deterministic, keyed, of the usual shape. */
import { describe, expect, it } from 'vitest';
import { clockSegment, generateSecret, parseSecret } from '../../../src/crypto/token-format.js';
import { createSuccessorDerivation } from '../../../src/server/oauth/successor-derivation.js';

const OLD = 'old-secret-0123456789-abcdefghijklmnop';
const NEW = 'new-secret-0123456789-abcdefghijklmnop';
const prefixes = { accessToken: 'at', refreshToken: 'rt' };

describe('successor derivation', () => {
  const parent = generateSecret('rt', { timeOrdered: true });
  const at = 1_780_000_000_000;

  it('gives the same pair for the same parent and rotation time, of the usual time-ordered shape', () => {
    const d = createSuccessorDerivation([OLD], prefixes);
    const pair = d.derive(parent, at)!;
    expect(d.derive(parent, at)).toEqual(pair);
    expect(parseSecret(pair.accessToken)).toEqual({ prefix: 'at' });
    expect(parseSecret(pair.refreshToken)).toEqual({ prefix: 'rt' });
    expect(pair.accessToken).toMatch(/^at_[0-9A-Za-z]{46}$/);
    expect(clockSegment(pair.accessToken)).toBe(clockSegment(pair.refreshToken));
    // Access and refresh token bodies are independent.
    expect(pair.accessToken.slice(11, 43)).not.toBe(pair.refreshToken.slice(11, 43));
  });

  it('gives another pair for another parent, another rotation time or another key', () => {
    const d = createSuccessorDerivation([OLD], prefixes);
    const pair = d.derive(parent, at)!;
    expect(d.derive(generateSecret('rt', { timeOrdered: true }), at)!.refreshToken).not.toBe(pair.refreshToken);
    expect(d.derive(parent, at + 1)!.refreshToken).not.toBe(pair.refreshToken);
    expect(createSuccessorDerivation([NEW], prefixes).derive(parent, at)!.refreshToken).not.toBe(pair.refreshToken);
  });

  it('derives with the key a marker names, after the secrets rotated; an unknown marker gives null', () => {
    const before = createSuccessorDerivation([OLD], prefixes);
    const after = createSuccessorDerivation([NEW, OLD], prefixes);
    expect(after.marker).not.toBe(before.marker);
    expect(after.derive(parent, at, before.marker)).toEqual(before.derive(parent, at));
    expect(createSuccessorDerivation([NEW], prefixes).derive(parent, at, before.marker)).toBeNull();
    expect(after.isMarker(before.marker)).toBe(true);
    expect(after.isMarker('v1.abcdef.iv.ct')).toBe(false);
  });

  it('draws every body character from the key: 2,000 pairs of distinct parents are distinct', () => {
    const d = createSuccessorDerivation([OLD], prefixes);
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const pair = d.derive(generateSecret('rt'), at)!;
      seen.add(pair.accessToken);
      seen.add(pair.refreshToken);
    }
    expect(seen.size).toBe(2000);
  });
});
