import { describe, expect, it } from 'vitest';
import { balancedOrder, median, medianInterval, verdict } from './stats.js';

describe('medianInterval', () => {
  it('spans the whole range of 5 rounds, with the coverage of that range (1 - 2/32)', () => {
    expect(medianInterval([0.04, 0.09, 0.02, 0.06, 0.05])).toEqual({ low: 0.02, high: 0.09, coverage: 0.9375 });
  });

  it('drops the extremes once there are enough rounds to keep 90% coverage', () => {
    // n = 10: [x(2), x(9)] covers 1 - 2 * 11/1024 = 97.9%; [x(3), x(8)] only 89.1%.
    const values = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
    const i = medianInterval(values);
    expect([i.low, i.high]).toEqual([2, 9]);
    expect(i.coverage).toBeCloseTo(1 - 22 / 1024, 10);
    expect(medianInterval(values, 0.85)).toMatchObject({ low: 3, high: 8 });
  });

  it('holds the median, and says how little a few rounds cover', () => {
    const values = [3.4, 2.7, 3.1];
    const i = medianInterval(values);
    expect(i.low).toBeLessThanOrEqual(median(values));
    expect(i.high).toBeGreaterThanOrEqual(median(values));
    expect(i.coverage).toBe(0.75);
    expect(medianInterval([1]).coverage).toBe(0);
    expect(Number.isNaN(medianInterval([]).low)).toBe(true);
  });
});

describe('verdict', () => {
  const at = (low: number, high: number) => ({ low, high, coverage: 0.9375 });

  it('calls a loss met or missed only when the whole interval agrees', () => {
    expect(verdict(at(0.01, 0.049), 0.05, 'atMost')).toBe('met');
    expect(verdict(at(0.051, 0.1), 0.05, 'atMost')).toBe('missed');
    expect(verdict(at(0.03, 0.08), 0.05, 'atMost')).toBe('undecided');
  });

  it('judges a ratio from below', () => {
    expect(verdict(at(3.0, 3.4), 3, 'atLeast')).toBe('met');
    expect(verdict(at(1.2, 2.9), 3, 'atLeast')).toBe('missed');
    expect(verdict(at(2.8, 3.2), 3, 'atLeast')).toBe('undecided');
    expect(verdict(medianInterval([]), 3, 'atLeast')).toBe('undecided');
  });

  it('decides nothing from an interval that covers too little (too few rounds)', () => {
    expect(verdict(medianInterval([3.5, 3.6, 3.7]), 3, 'atLeast')).toBe('undecided');
    expect(verdict(medianInterval([3.5, 3.6, 3.7, 3.4, 3.8]), 3, 'atLeast')).toBe('met');
  });
});

describe('balancedOrder', () => {
  /** How often each ordered pair (a right before b) occurs over `rounds` rounds, and each item's positions. */
  function tally(n: number, rounds: number) {
    const items = Array.from({ length: n }, (_, i) => i);
    const pairs = new Map<string, number>();
    const positions = items.map(() => new Array<number>(n).fill(0));
    for (let r = 0; r < rounds; r++) {
      const order = balancedOrder(items, r);
      expect([...order].sort((a, b) => a - b)).toEqual(items);
      for (const [position, item] of order.entries()) positions[item]![position]!++;
      for (let i = 1; i < n; i++) {
        const pair = `${order[i - 1]}>${order[i]}`;
        pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
      }
    }
    return { pairs, positions };
  }

  it('puts every item right after every other exactly once over n rounds (even n)', () => {
    const { pairs, positions } = tally(4, 4);
    expect(pairs.size).toBe(12);
    expect([...pairs.values()].every((c) => c === 1)).toBe(true);
    expect(positions.every((p) => p.every((c) => c === 1))).toBe(true);
  });

  it('balances an odd count over 2n rounds, each ordered pair twice', () => {
    const { pairs, positions } = tally(5, 10);
    expect(pairs.size).toBe(20);
    expect([...pairs.values()].every((c) => c === 2)).toBe(true);
    expect(positions.every((p) => p.every((c) => c === 2))).toBe(true);
  });

  it('unlike a rotation, does not keep one neighbour before each item', () => {
    const before = new Set<string>();
    for (let r = 0; r < 8; r++) {
      const order = balancedOrder(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], r);
      before.add(order[order.indexOf('c') - 1] ?? '(first)');
    }
    expect(before.size).toBeGreaterThan(4);
    expect(balancedOrder(['only'], 3)).toEqual(['only']);
  });
});
