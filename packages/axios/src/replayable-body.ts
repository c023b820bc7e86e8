/**
 * Whether a request body can be sent a second time. A stream is read by the first attempt, so a
 * request carrying one is never retried: its 401 is surfaced instead.
 */
export function isReplayableBody(data: unknown): boolean {
  if (data === undefined || data === null || typeof data !== 'object') return true;
  // Node streams (and form-data, which is one) pipe; web streams and async iterables are read once.
  if (typeof (data as { pipe?: unknown }).pipe === 'function') return false;
  if (typeof ReadableStream !== 'undefined' && data instanceof ReadableStream) return false;
  return typeof (data as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] !== 'function';
}
