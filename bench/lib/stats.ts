/** Small statistics helpers: medians of per-round ratios are what the tables report. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export const round = (n: number, digits = 0) => Number(n.toFixed(digits));
export const pct = (ratio: number, digits = 1) => `${(ratio * 100).toFixed(digits)}%`;
/** Throughput loss of `value` against `base`, as a fraction (0.05 = 5% slower). */
export const loss = (value: number, base: number) => 1 - value / base;

/**
 * The order of `items` in round `round` of a balanced design (a Williams square). Over every n rounds (2n
 * for an odd count of items) each item runs in every position equally often and right after every other
 * item equally often. Whatever one sample leaves behind for the next (garbage to collect, code deoptimised
 * by another instance's shapes, cold caches) then lands on every contender alike; a plain rotation keeps
 * the cyclic order, so each contender would always follow the same neighbour and pay its carry-over in
 * every round.
 */
export function balancedOrder<T>(items: readonly T[], round: number): T[] {
  const n = items.length;
  if (n < 2) return [...items];
  // First row: 0, n-1, 1, n-2, 2, ...; row i adds i (mod n); an odd n also needs every row reversed.
  const first = Array.from({ length: n }, (_, j) => (j % 2 === 0 ? j / 2 : n - (j + 1) / 2));
  const rows = n % 2 === 0 ? n : 2 * n;
  const r = ((round % rows) + rows) % rows;
  const shift = r % n;
  const row = first.map((j) => items[(j + shift) % n]!);
  return r >= n ? row.reverse() : row;
}

/** A confidence interval for a median, and how often an interval built that way holds the true median. */
export interface MedianInterval {
  low: number;
  high: number;
  /** 1 - 2 P(Binomial(n, 1/2) <= k - 1), for the order statistics x(k) and x(n + 1 - k) it spans. */
  coverage: number;
}

/** P(Binomial(n, 1/2) <= j). */
function binomialHalfCdf(n: number, j: number): number {
  let term = 0.5 ** n; // C(n, 0) / 2^n
  let sum = term;
  for (let i = 1; i <= j; i++) {
    term = (term * (n - i + 1)) / i;
    sum += term;
  }
  return sum;
}

/**
 * The order statistics x(k) and x(n + 1 - k) that {@link medianInterval} takes for `n` values: the largest k
 * whose coverage is still at least `confidence`, or k = 1 (the whole range) when even that falls short.
 */
export function medianIntervalRank(n: number, confidence = 0.9): { k: number; coverage: number } {
  if (n === 0) return { k: 0, coverage: 0 };
  let k = 1;
  let coverage = 1 - 2 * binomialHalfCdf(n, 0);
  // Narrow while the interval keeps at least one value (k + 1 <= n - k) and its coverage holds.
  while (k + 1 <= n - k) {
    const narrower = 1 - 2 * binomialHalfCdf(n, k);
    if (narrower < confidence) break;
    k++;
    coverage = narrower;
  }
  return { k, coverage };
}

/**
 * A distribution-free confidence interval for the median of per-round figures: the narrowest pair of order
 * statistics whose coverage is at least `confidence`. Per-round figures on a shared machine are anything
 * but normal (a neighbour's burst lands in one round), so no shape is assumed. With too few values to reach
 * `confidence`, it is the whole range, and the coverage says how little that is (5 rounds: 93.75%; 3: 75%).
 */
export function medianInterval(values: readonly number[], confidence = 0.9): MedianInterval {
  const n = values.length;
  if (n === 0) return { low: Number.NaN, high: Number.NaN, coverage: 0 };
  const s = [...values].sort((a, b) => a - b);
  const { k, coverage } = medianIntervalRank(n, confidence);
  return { low: s[k - 1]!, high: s[n - k]!, coverage };
}

/** Where a target stands against an interval: met or missed only when the whole interval agrees. */
export type Verdict = 'met' | 'missed' | 'undecided';

/**
 * `atMost`: a loss or overhead that must stay <= target; `atLeast`: a ratio that must reach target. An
 * interval that covers less than `confidence` (too few rounds) decides nothing.
 */
export function verdict(interval: MedianInterval, target: number, direction: 'atMost' | 'atLeast', confidence = 0.9): Verdict {
  const { low, high, coverage } = interval;
  if (Number.isNaN(low) || Number.isNaN(high) || coverage < confidence) return 'undecided';
  if (direction === 'atMost') return high <= target ? 'met' : low > target ? 'missed' : 'undecided';
  return low >= target ? 'met' : high < target ? 'missed' : 'undecided';
}
