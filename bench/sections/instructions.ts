/**
 * (1b) Verification overhead in instructions, cache misses and mispredicted branches, counted by
 * valgrind's callgrind: the same servers and requests as section 1, with figures the rest of the machine
 * cannot move. It decides no target (a target is throughput, and a count leaves the kernel's share of a
 * request out), but it resolves what the load runs cannot: differences of a few hundred instructions per
 * request, and which functions they come from.
 *
 * Each protected request is counted right after the same request sent to the unprotected route (same
 * headers), over one kept-alive connection, one request at a time: every request is a whole turn of the
 * event loop, and nothing depends on how requests happen to batch. Only the main thread is counted (V8's
 * helper threads compile, mark and sweep whenever the scheduler runs them). The counts still move between
 * samples with V8's state, a collection or a recompilation landing in one of them: medians over rounds,
 * with the per-round figures shown. The per-function difference is read from the median round's dumps.
 *
 * Opt-in: `pnpm bench --only=instructions` (needs valgrind; a Fastify round took about 3 minutes here, an
 * Express one is slower: its requests run about eight times the instructions).
 */
import type { Credentials } from '../lib/fixture.js';
import {
  type CallgrindServer,
  type CountedSample,
  type Costs,
  cycleEstimate,
  EVENTS,
  haveCallgrind,
  type PerfMap,
  selfCosts,
  startUnderCallgrind,
} from '../lib/callgrind.js';
import { median } from '../lib/stats.js';
import { verifyVariants } from './verify.js';
import type { Mode } from '../run.js';

/** One function's share of what a route adds to the same request unprotected, per request. */
export interface FunctionDelta {
  name: string;
  ir: number;
  cycles: number;
  i1Misses: number;
  d1Misses: number;
}

export interface InstructionRow {
  framework: 'express' | 'fastify';
  variant: string;
  /** Median costs per request of the route, and of the same request unprotected. */
  route: Costs;
  same: Costs;
  /** Median over rounds of `1 - ir(same)/ir(route)`: the share of the route's instructions protection adds. */
  irShare: number;
  /** The same with KCachegrind's cycle estimate instead of instructions. */
  cycleShare: number;
  irSharePerRound: number[];
  cycleSharePerRound: number[];
  /** Largest per-function differences (estimated cycles), from the median round. */
  top: FunctionDelta[];
}

export interface InstructionSection {
  requestsPerSample: Record<string, number>;
  rounds: number;
  rows: InstructionRow[];
}

const REQUESTS = { fastify: 2000, express: 1000 } as const;

export async function benchInstructions(mode: Mode, log: (s: string) => void): Promise<InstructionSection> {
  if (!haveCallgrind()) throw new Error('the instructions section needs valgrind: apt-get install -y valgrind');
  const rounds = mode.name === 'quick' ? 1 : Math.min(mode.rounds, 10);
  const rows: InstructionRow[] = [];
  // What each framework that ran was counted with (quick mode and AUTH_BENCH_FRAMEWORKS change it).
  const requestsPerSample: Record<string, number> = {};
  // AUTH_BENCH_FRAMEWORKS=fastify (or express): one framework only, when iterating on it.
  const only = process.env.AUTH_BENCH_FRAMEWORKS?.split(',');
  for (const framework of (['fastify', 'express'] as const).filter((f) => !only || only.includes(f))) {
    const n = mode.name === 'quick' ? REQUESTS[framework] / 4 : REQUESTS[framework];
    requestsPerSample[framework] = n;
    log(`  instructions ${framework}: starting the server under callgrind`);
    const server = await startUnderCallgrind<{ port: number; creds: Credentials }>(`servers/verify-${framework}.ts`);
    try {
      rows.push(...(await countFramework(server, framework, n, rounds, log)));
    } finally {
      await server.stop();
    }
  }
  return { requestsPerSample, rounds, rows };
}

async function countFramework(
  server: CallgrindServer<{ port: number; creds: Credentials }>,
  framework: 'express' | 'fastify',
  n: number,
  rounds: number,
  log: (s: string) => void,
): Promise<InstructionRow[]> {
  const variants = verifyVariants(framework, server.info.creds);
  // Uncounted warm-up at valgrind's faster pace, until V8 has optimised the request path; then a counted
  // one, since turning counting on discards valgrind's translations.
  for (const v of variants) {
    await server.send('/open', v.headers, 3 * n);
    await server.send(v.path, v.headers, 3 * n);
  }
  server.instrument();
  for (const v of variants) {
    await server.send('/open', v.headers, n / 4);
    await server.send(v.path, v.headers, n / 4);
  }
  const pairs = new Map<string, { same: CountedSample; route: CountedSample }[]>(variants.map((v) => [v.name, []]));
  for (let r = 0; r < rounds; r++) {
    for (const v of variants) {
      const same = await server.count('/open', v.headers, n);
      const route = await server.count(v.path, v.headers, n);
      pairs.get(v.name)!.push({ same, route });
    }
    log(
      `  instructions ${framework} round ${r + 1}/${rounds}: ${variants
        .map((v) => {
          const { same, route } = pairs.get(v.name)!.at(-1)!;
          return `${v.name} ${Math.round(same.perRequest.Ir)} -> ${Math.round(route.perRequest.Ir)}`;
        })
        .join(', ')}`,
    );
  }
  const map = server.perfMap();
  return variants.map((v) => {
    const p = pairs.get(v.name)!;
    const irShares = p.map(({ same, route }) => 1 - same.perRequest.Ir / route.perRequest.Ir);
    const cycleShares = p.map(({ same, route }) => 1 - cycleEstimate(same.perRequest) / cycleEstimate(route.perRequest));
    // The round whose cycle share is the median: its dumps give the per-function difference.
    const mid = [...p.keys()].sort((a, b) => cycleShares[a]! - cycleShares[b]!)[(p.length - 1) >> 1]!;
    return {
      framework,
      variant: v.name,
      route: medianCosts(p.map((x) => x.route.perRequest)),
      same: medianCosts(p.map((x) => x.same.perRequest)),
      irShare: median(irShares),
      cycleShare: median(cycleShares),
      irSharePerRound: irShares,
      cycleSharePerRound: cycleShares,
      top: topDeltas(p[mid]!.same, p[mid]!.route, map, 8),
    };
  });
}

function medianCosts(all: readonly Costs[]): Costs {
  return Object.fromEntries(EVENTS.map((e) => [e, median(all.map((c) => c[e]))])) as Costs;
}

function topDeltas(same: CountedSample, route: CountedSample, map: PerfMap, count: number): FunctionDelta[] {
  const a = selfCosts(same.dump, map);
  const b = selfCosts(route.dump, map);
  const zero = Object.fromEntries(EVENTS.map((e) => [e, 0])) as Costs;
  const deltas: FunctionDelta[] = [];
  for (const name of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(name) ?? zero;
    const y = b.get(name) ?? zero;
    const per = (e: (typeof EVENTS)[number]) => y[e] / route.requests - x[e] / same.requests;
    deltas.push({
      name,
      ir: per('Ir'),
      cycles: cycleEstimate(y) / route.requests - cycleEstimate(x) / same.requests,
      i1Misses: per('I1mr'),
      d1Misses: per('D1mr') + per('D1mw'),
    });
  }
  return deltas.sort((p, q) => q.cycles - p.cycles).slice(0, count);
}
