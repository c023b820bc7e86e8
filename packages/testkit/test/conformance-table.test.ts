import { describe, expect, it } from 'vitest';
import { CONFORMANCE_CASES } from '../src/conformance/cases/index.js';
import { caseTitle } from '../src/conformance/run.js';

// The table is data: check its shape so a careless addition fails here, not as a confusing adapter failure.
describe('conformance table', () => {
  it('holds at least 300 wire cases, each with a source', () => {
    const wire = CONFORMANCE_CASES.filter((c) => c.kind !== 'client');
    expect(wire.length).toBeGreaterThanOrEqual(300);
    for (const c of CONFORMANCE_CASES) expect(c.source.trim().length, c.name).toBeGreaterThan(3);
  });

  it('gives every case a unique title (vitest reports them by title)', () => {
    const titles = CONFORMANCE_CASES.map(caseTitle);
    expect(new Set(titles).size).toBe(titles.length);
  });

  it('covers every category', () => {
    const counts = new Map<string, number>();
    for (const c of CONFORMANCE_CASES) counts.set(c.category, (counts.get(c.category) ?? 0) + 1);
    console.log(`conformance table: ${[...counts].map(([k, n]) => `${k} ${n}`).join(', ')}; total ${CONFORMANCE_CASES.length}`);
    for (const category of ['authorize', 'token', 'refresh', 'revocation', 'introspection', 'resource', 'cookies', 'client']) {
      expect(counts.get(category), category).toBeGreaterThan(0);
    }
  });
});
