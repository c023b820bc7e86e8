/**
 * (1) Verification overhead: a protected route vs the same route unprotected, Express and Fastify, every
 * scheme, plus the peer (passport-http-bearer / @fastify/bearer-auth) and a layer that does nothing (a
 * no-op Express middleware, a no-op async Fastify hook): the share of the loss the framework charges for
 * any layer at all, which no authentication code can win back.
 *
 * Credentials make a request bigger, and the framework parses every header whether or not a route reads
 * it: three API-key headers or a sealed cookie cost Node's parser about as much on an unprotected route as
 * some schemes cost to verify. So each route's sample is bracketed by two samples of the *same request*
 * (same headers) sent to the unprotected route (same, A, same; then same', B, same'; ...; A, B... in a
 * balanced order that changes every round), and compared with their mean, so a drift or a neighbour's
 * burst on this shared machine lands on both sides of the ratio. Kept per sample:
 * - the server's CPU time per request (user + system, from the server's own `process.cpuUsage()`), which
 *   other processes on the machine barely disturb. For a single-threaded server run to saturation,
 *   throughput = 1 / CPU per request, so `1 - cpu(same request, open) / cpu(route)` is what protecting the
 *   route costs in throughput at saturation (the judged figure), and `cpu(route) - cpu(same request,
 *   open)` the verification's own CPU per request;
 * - against the bare unprotected route (no credential headers: the brackets of the variants without
 *   headers, medians per round), the CPU-derived loss and the requests/s loss, as the issue words it.
 */
import { startChild } from '../lib/child.js';
import type { Credentials } from '../lib/fixture.js';
import { load, type Sample, sample } from '../lib/load.js';
import { balancedOrder, loss, median } from '../lib/stats.js';
import type { Mode } from '../run.js';

export interface Variant {
  name: string;
  path: string;
  headers: Record<string, string>;
}

/**
 * What section 1 (and 1b) measures on each framework's server, besides the unprotected route: every scheme,
 * the peer, and the framework's own price for one more layer, with no authentication in it.
 */
export function verifyVariants(framework: 'express' | 'fastify', c: Credentials): Variant[] {
  const peer = framework === 'express' ? 'passport-http-bearer' : '@fastify/bearer-auth';
  return [
    { name: 'API key (3 headers)', path: '/ours', headers: c.apiKey },
    { name: 'PAT Bearer', path: '/ours', headers: c.pat },
    { name: 'OAuth opaque token', path: '/ours', headers: c.opaque },
    { name: 'OAuth JWT token', path: '/ours-jwt', headers: c.jwt },
    { name: 'sealed session cookie', path: '/ours', headers: c.cookie },
    { name: `peer: ${peer}`, path: '/peer', headers: c.peer },
    { name: framework === 'express' ? 'no-op middleware' : 'no-op async onRequest hook', path: '/noop', headers: {} },
    // Fastify: ours and the peer's hooks live in a plugin scope (encapsulation); the same no-op there.
    ...(framework === 'fastify' ? [{ name: 'no-op async hook in a plugin scope', path: '/noop-scoped', headers: {} }] : []),
  ];
}

export interface VerifyRow {
  framework: 'express' | 'fastify';
  variant: string;
  /** Median requests/s over rounds. */
  rps: number;
  /** Median server CPU microseconds per request. */
  cpuPerReq: number;
  /** Median over rounds of the req/s loss against the bracketing unprotected samples. */
  loss: number;
  /** Median over rounds of `1 - cpu(open)/cpu(route)`: throughput loss at saturation. */
  cpuLoss: number;
  /**
   * Median over rounds of `1 - cpu(open, same headers)/cpu(route)`: the loss against the same request sent
   * unprotected. Equal to `cpuLoss` for a variant without headers; absent for the baseline.
   */
  sameRequestCpuLoss?: number;
  /** Median over rounds of `cpu(route) - cpu(open, same headers)`, microseconds: the verification's own CPU. */
  verifyCpuPerReq?: number;
  sameRequestCpuLossPerRound?: number[];
  lossPerRound: number[];
  cpuLossPerRound: number[];
  non2xx: number;
}

export async function benchVerify(mode: Mode, log: (s: string) => void): Promise<VerifyRow[]> {
  const rows: VerifyRow[] = [];
  for (const framework of ['express', 'fastify'] as const) {
    const server = await startChild<{ port: number; creds: Credentials }>(`servers/verify-${framework}.ts`);
    try {
      const base = `http://127.0.0.1:${server.info.port}`;
      const c = server.info.creds;
      const open: Variant = { name: 'unprotected', path: '/open', headers: {} };
      const variants = verifyVariants(framework, c);
      const run = (v: Variant) => sample(base, { url: base + v.path, headers: v.headers, duration: mode.duration });
      for (const v of [open, ...variants]) await load({ url: base + v.path, headers: v.headers, duration: mode.warmup });
      const opens: Sample[] = [];
      const pairs = new Map<string, { s: Sample; rpsLoss: number; cpuLoss: number; sameLoss: number; verifyCpu: number }[]>(
        variants.map((v) => [v.name, []]),
      );
      for (let r = 0; r < mode.rounds; r++) {
        const roundOpens: Sample[] = [];
        const measured: { v: Variant; s: Sample; sameCpu: number }[] = [];
        for (const v of balancedOrder(variants, r)) {
          // The same request, unprotected, on both sides of the route (for a variant without headers, that
          // is the bare unprotected request).
          const same = { ...v, path: open.path };
          const before = await run(same);
          const s = await run(v);
          const after = await run(same);
          if (Object.keys(v.headers).length === 0) roundOpens.push(before, after);
          measured.push({ v, s, sameCpu: (before.cpuPerReq + after.cpuPerReq) / 2 });
        }
        if (roundOpens.length === 0) roundOpens.push(await run(open));
        opens.push(...roundOpens);
        const openCpu = median(roundOpens.map((x) => x.cpuPerReq));
        const openRps = median(roundOpens.map((x) => x.rps));
        for (const { v, s, sameCpu } of measured) {
          pairs.get(v.name)!.push({
            s,
            rpsLoss: loss(s.rps, openRps),
            cpuLoss: 1 - openCpu / s.cpuPerReq,
            sameLoss: 1 - sameCpu / s.cpuPerReq,
            verifyCpu: s.cpuPerReq - sameCpu,
          });
        }
        log(`  verify ${framework} round ${r + 1}/${mode.rounds}`);
      }
      rows.push({
        framework,
        variant: open.name,
        rps: median(opens.map((s) => s.rps)),
        cpuPerReq: median(opens.map((s) => s.cpuPerReq)),
        loss: 0,
        cpuLoss: 0,
        lossPerRound: [],
        cpuLossPerRound: [],
        non2xx: opens.reduce((a, s) => a + s.non2xx + s.errors, 0),
      });
      for (const v of variants) {
        const p = pairs.get(v.name)!;
        rows.push({
          framework,
          variant: v.name,
          rps: median(p.map((x) => x.s.rps)),
          cpuPerReq: median(p.map((x) => x.s.cpuPerReq)),
          loss: median(p.map((x) => x.rpsLoss)),
          cpuLoss: median(p.map((x) => x.cpuLoss)),
          lossPerRound: p.map((x) => x.rpsLoss),
          cpuLossPerRound: p.map((x) => x.cpuLoss),
          sameRequestCpuLoss: median(p.map((x) => x.sameLoss)),
          verifyCpuPerReq: median(p.map((x) => x.verifyCpu)),
          sameRequestCpuLossPerRound: p.map((x) => x.sameLoss),
          non2xx: p.reduce((a, x) => a + x.s.non2xx + x.s.errors, 0),
        });
      }
    } finally {
      await server.stop();
    }
  }
  return rows;
}
