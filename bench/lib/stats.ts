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

/** Rotate an array by `k` so every round starts with a different contender. */
export function rotate<T>(items: readonly T[], k: number): T[] {
  const n = items.length;
  return items.map((_, i) => items[(i + k) % n]!);
}
