/**
 * Delay before the next attempt: capped exponential backoff with full jitter
 * (`random() * min(maxDelay, base * 2^(attempt-1))`), unless the server asked for a specific wait with
 * `Retry-After`, which is honoured up to `maxRetryAfterMs`.
 *
 * @param attempt - the attempt that just failed, starting at 1
 */
export function retryDelay(
  attempt: number,
  retryAfterMs: number | null,
  policy: { baseDelayMs: number; maxDelayMs: number; maxRetryAfterMs: number; random: () => number },
): number {
  if (retryAfterMs !== null) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(policy.random() * cap);
}

/**
 * Parse a `Retry-After` header (RFC 9110 section 10.2.3): delay-seconds or an HTTP date.
 * Returns milliseconds from `now`, or `null` when absent or unparseable.
 */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // Only accept something that looks like an HTTP date; Date.parse is lenient about garbage.
  if (!/^[A-Za-z]{3},? /.test(trimmed)) return null;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}
