/**
 * Load generation with autocannon, run in this (parent) process against servers in child processes.
 * Bounded: every run has a fixed duration and autocannon's own timeout per request.
 */
import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Seconds. */
  duration: number;
  connections?: number;
  /** Per-connection request chain (e.g. refresh-token rotation). */
  requests?: Record<string, unknown>[];
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  total: number;
}

export async function load(o: LoadOptions): Promise<LoadResult> {
  const r = await autocannon({
    url: o.url,
    method: o.method ?? 'GET',
    headers: o.headers,
    body: o.body,
    duration: o.duration,
    connections: o.connections ?? 8,
    pipelining: 1,
    timeout: 10,
    requests: o.requests as never,
  });
  const total = r.requests.total;
  return {
    // Mean over the run: counted requests (completed, any status) per second.
    rps: total / (r.duration || o.duration),
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    total,
  };
}

/** CPU microseconds the server at `base` has used so far (its `/__cpu` route). */
export async function serverCpu(base: string): Promise<number> {
  const res = await fetch(`${base}/__cpu`);
  return ((await res.json()) as { us: number }).us;
}

export interface Sample extends LoadResult {
  /** Server CPU microseconds per completed request during the sample. */
  cpuPerReq: number;
}

/** One load sample with the server's CPU time per request. */
export async function sample(base: string, o: LoadOptions): Promise<Sample> {
  const before = await serverCpu(base);
  const r = await load(o);
  const after = await serverCpu(base);
  return { ...r, cpuPerReq: (after - before) / Math.max(1, r.total) };
}
