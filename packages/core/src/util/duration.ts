/** A duration: milliseconds as a number, or a string such as `'90s'`, `'5m'`, `'1h'`, `'48h'`, `'30d'`. */
export type Duration = number | `${number}${'ms' | 's' | 'm' | 'h' | 'd'}`;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Convert a {@link Duration} to milliseconds. Throws `TypeError` on anything else. */
export function toMs(value: Duration): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new TypeError(`Invalid duration: ${value}`);
    return value;
  }
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(value);
  if (!m) throw new TypeError(`Invalid duration: "${value}" (use e.g. "90s", "5m", "1h")`);
  return Number(m[1]) * UNITS[m[2]!]!;
}
