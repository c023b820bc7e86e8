/** Markdown rendering of a results JSON: ratios against the peer measured in the same run. */
import { cycleEstimate } from './callgrind.js';
import { type MedianInterval, medianInterval, medianIntervalRank, pct, type Verdict, verdict } from './stats.js';

type Any = Record<string, any>;
const n = (x: number) => Math.round(x).toLocaleString('en-US');
const mark = (ok: boolean) => (ok ? 'met' : '**missed**');
const VERDICT: Record<Verdict, string> = { met: 'met', missed: '**missed**', undecided: 'undecided' };

/**
 * The target column and the interval column of a row. `perRound` holds the figure the target is judged
 * on, one per round; results written before intervals existed have none, and are judged on the median.
 */
function judged(
  perRound: readonly number[] | undefined,
  median: number,
  target: number,
  direction: 'atMost' | 'atLeast',
  format: (x: number) => string,
): { target: string; interval: string } {
  if (!perRound?.length) {
    return { target: mark(direction === 'atMost' ? median <= target : median >= target), interval: '' };
  }
  const i: MedianInterval = medianInterval(perRound);
  return { target: VERDICT[verdict(i, target, direction)], interval: `${format(i.low)} to ${format(i.high)}` };
}

/** The note under a judged table: what the interval is, and how much its round count lets it cover. */
function intervalNote(rounds: number | undefined): string {
  const coverage = rounds ? ` (${rounds} per-round figures: ${pct(medianIntervalRank(rounds).coverage)} coverage)` : '';
  return (
    `Interval: a distribution-free confidence interval for the median of the per-round figures, the narrowest pair of order statistics covering at least 90% where the rounds allow${coverage}. ` +
    'A target is met or missed only when the whole interval lies on one side of it; "undecided" means this run cannot tell.'
  );
}

export function renderTable(report: { meta: Any; results: Any }): string {
  const { meta, results } = report;
  const out: string[] = [];
  out.push(`### Results (${meta.mode} mode${meta.label ? `, ${meta.label}` : ''}): ${meta.date}`);
  out.push('');
  out.push(
    `Machine: ${meta.machine.nproc} cores, ${meta.machine.cpu}, ${meta.machine.memoryGiB} GiB RAM (${meta.machine.pinning}); ` +
      `Node ${meta.node}; load average before ${meta.loadAverage.before.map((x: number) => x.toFixed(2)).join(' / ')}, ` +
      `after ${meta.loadAverage.after.map((x: number) => x.toFixed(2)).join(' / ')}; ` +
      `${meta.mode_settings.rounds} interleaved rounds x ${meta.mode_settings.duration}s per sample; took ${meta.seconds}s.`,
  );
  out.push('');
  out.push(`Versions: ${Object.entries(meta.versions).map(([k, v]) => `${k} ${v}`).join(', ')}.`);
  out.push('');

  if (results.verify) {
    out.push('#### 1. Verification overhead (same route unprotected as baseline, bracketing samples; target <= 5%)');
    out.push('');
    out.push(
      'Loss at saturation = `1 - cpu(unprotected)/cpu(route)` from the server\'s CPU time per request (robust to other load on the machine); req/s loss = raw throughput ratio (noisy here). ' +
        '"Same request" compares with the same request (same credential headers) sent to the unprotected route, measured next to it: what protecting the route costs, without the cost of parsing bigger requests, which the framework pays on any route. The target is judged on that column.',
    );
    out.push('');
    out.push(
      '| Framework | Route | server CPU us/req | Verification CPU us/req | Loss vs same request unprotected (median) | Interval | Target | Loss vs bare unprotected (median) | req/s (median) | req/s loss (median) | Same-request CPU loss per round |',
    );
    out.push('| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- |');
    let verifyRounds: number | undefined;
    for (const r of results.verify as Any[]) {
      const isOpen = r.variant === 'unprotected';
      // Peers and the framework's own no-op layer are references, not targets.
      const isPeer = String(r.variant).startsWith('peer') || String(r.variant).startsWith('no-op');
      // Results written before the same-request samples existed have only the bare comparison.
      const same: number | undefined = r.sameRequestCpuLoss;
      const judgedLoss: number = same ?? r.cpuLoss;
      const perRound: number[] = r.sameRequestCpuLossPerRound ?? r.cpuLossPerRound;
      if (!isOpen) verifyRounds ??= perRound.length;
      const j = judged(perRound, judgedLoss, 0.05, 'atMost', (x) => pct(x));
      out.push(
        `| ${r.framework} | ${r.variant} | ${r.cpuPerReq.toFixed(1)} | ${isOpen || r.verifyCpuPerReq === undefined ? '' : r.verifyCpuPerReq.toFixed(1)} | ${
          isOpen ? '(baseline)' : same === undefined ? '' : pct(same)
        } | ${isOpen ? '' : j.interval} | ${isOpen || isPeer ? '' : j.target} | ${isOpen ? '' : pct(r.cpuLoss)} | ${n(r.rps)} | ${isOpen ? '' : pct(r.loss)} | ${
          isOpen ? '' : perRound.map((x: number) => pct(x, 0)).join(' ')
        }${r.non2xx ? ` (${r.non2xx} non-2xx!)` : ''} |`,
      );
    }
    out.push('', intervalNote(verifyRounds), '');
  }
  if (results.instructions) {
    const ins = results.instructions as Any;
    out.push('#### 1b. Verification overhead counted by callgrind (instructions and simulated caches; decides no target)');
    out.push('');
    out.push(
      `The servers of section 1 under valgrind's callgrind, one request at a time over one connection; ${Object.entries(ins.requestsPerSample)
        .map(([f, k]) => `${n(k as number)} requests per ${f} sample`)
        .join(', ')}, ${ins.rounds} round(s), medians. ` +
        'Each route is compared with the same request sent to the unprotected route. Estimated cycles: KCachegrind\'s model, instructions + 10 per first-level cache miss or mispredicted branch + 100 per last-level miss. ' +
        'The main thread\'s user-space work only: the kernel\'s share of a request (its socket reads and writes) and V8\'s helper threads are not counted, so a share here is larger than the same work\'s share of the CPU time. ' +
        'Counts move between samples with V8\'s state (a collection or a recompilation landing in one sample): see the per-round column.',
    );
    out.push('');
    out.push('| Framework | Route | Instructions/req (same request unprotected) | Added instructions/req | Added share (instructions) | Est. cycles/req | Added share (est. cycles) | L1 i-misses added | L1 d-misses added | Share per round (est. cycles) |');
    out.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const r of ins.rows as Any[]) {
      out.push(
        `| ${r.framework} | ${r.variant} | ${n(r.route.Ir)} (${n(r.same.Ir)}) | ${n(r.route.Ir - r.same.Ir)} | ${pct(r.irShare)} | ${n(cycleEstimate(r.route))} | ${pct(r.cycleShare)} | ${n(
          r.route.I1mr - r.same.I1mr,
        )} | ${n(r.route.D1mr + r.route.D1mw - r.same.D1mr - r.same.D1mw)} | ${(r.cycleSharePerRound as number[]).map((x) => pct(x, 1)).join(' ')} |`,
      );
    }
    out.push('');
    out.push('Where the added cost goes (median round; per request; largest first by estimated cycles):');
    out.push('');
    for (const r of ins.rows as Any[]) {
      if (String(r.variant).startsWith('no-op')) continue;
      out.push(
        `- ${r.framework}, ${r.variant}: ${(r.top as Any[])
          .map((f) => `\`${f.name}\` ${n(f.cycles)} cycles (${n(f.ir)} instr., ${n(f.i1Misses)} i-miss)`)
          .join('; ')}`,
      );
    }
    out.push('');
  }
  if (results.token) {
    const t = results.token as Any;
    out.push('#### 2. Token endpoint (grants/s; ratio vs node-oidc-provider client_credentials, same round; target >= 3x)');
    out.push('');
    out.push(
      '| Server | Store | Grant | grants/s (median) | Ratio vs oidc-provider client_credentials (req/s, median of rounds) | Interval | Server CPU us/grant | CPU ratio (throughput at saturation) | Interval | Target | CPU ratio, same grant | p99 ms |',
    );
    out.push('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |');
    for (const r of t.rows as Any[]) {
      const isPeer = r.server === 'oidc-provider';
      const isBaseline = isPeer && r.grant === 'client_credentials';
      // Older results (before oidc-provider's refresh_token row) have no same-grant ratio.
      const sameGrant = isPeer || r.sameGrantCpuRatio === undefined ? '' : `${r.sameGrantCpuRatio.toFixed(2)}x`;
      const times = (x: number) => `${x.toFixed(2)}x`;
      const rpsJ = judged(r.ratioPerRound, r.ratio, 3, 'atLeast', times);
      const cpuJ = judged(r.cpuRatioPerRound, r.cpuRatio, 3, 'atLeast', times);
      // Judged on the CPU ratio (the throughput each server sustains at saturation, as in section 1) where
      // the per-round CPU ratios were kept; older results were judged on the req/s ratio.
      const target = r.cpuRatioPerRound ? cpuJ.target : rpsJ.target;
      out.push(
        `| ${r.server} | ${r.store} | ${r.grant} | ${n(r.rps)} | ${isBaseline ? '1.00x (baseline)' : times(r.ratio)} | ${isBaseline ? '' : rpsJ.interval} | ${n(
          r.cpuPerGrant,
        )} | ${isBaseline ? '' : times(r.cpuRatio)} | ${isBaseline ? '' : cpuJ.interval} | ${isPeer ? '' : target} | ${sameGrant} | ${r.p99} |${
          r.non2xx ? ` ${r.non2xx} non-2xx!` : ''
        }`,
      );
    }
    if (t.notes?.length) out.push('', ...t.notes.map((s: string) => `- ${s}`));
    out.push('', intervalNote((t.rows as Any[])[0]?.ratioPerRound?.length));
    out.push('');
  }
  if (results.client) {
    const c = results.client as Any;
    out.push('#### 3. Client token manager (in-process, tinybench)');
    out.push('');
    out.push('| Measure | Result | Target |');
    out.push('| --- | ---: | --- |');
    out.push(`| cached \`getAccessToken()\` ops/s (median of rounds) | ${n(c.cachedOpsPerSec)} | >= 1,000,000: ${mark(c.cachedOpsPerSec >= 1e6)} |`);
    out.push(`| cached \`getAccessToken(subject)\` ops/s | ${n(c.cachedSubjectOpsPerSec)} | |`);
    out.push(
      `| ${n(c.stampede.callers)} concurrent callers, expired token: time to all resolved (median) | ${c.stampede.ms.toFixed(1)} ms | |`,
    );
    out.push(
      `| ... token requests made (every round) | ${c.stampede.requests.join(', ')} | exactly 1: ${mark(c.stampede.requests.every((x: number) => x === 1))} |`,
    );
    out.push('');
  }
  if (results.axios) {
    out.push('#### 4. axios (requests/s from one client process, 16 in flight; overhead vs raw axios, same round; target <= 3%)');
    out.push('');
    out.push('| Client | req/s (median) | Overhead vs raw (req/s, median of rounds) | Interval | Client CPU us/req | CPU overhead vs raw | Target |');
    out.push('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const r of results.axios as Any[]) {
      const isRaw = r.name.startsWith('raw');
      const isOurs = r.name.startsWith('@auth/axios');
      const j = judged(r.overheadPerRound, r.overhead, 0.03, 'atMost', (x) => pct(x));
      out.push(
        `| ${r.name} | ${n(r.rps)} | ${isRaw ? '(baseline)' : pct(r.overhead)} | ${isRaw ? '' : j.interval} | ${r.cpuPerReq.toFixed(1)} | ${
          isRaw ? '' : pct(r.cpuOverhead)
        } | ${isOurs ? j.target : ''} |`,
      );
    }
    out.push('', intervalNote((results.axios as Any[])[1]?.overheadPerRound?.length), '');
  }
  if (results.memory) {
    out.push('#### 5. Memory (heap after `gc()`, child process with `--expose-gc`; median of rounds)');
    out.push('');
    out.push('| What | Heap per 10,000 | Per entry |');
    out.push('| --- | ---: | ---: |');
    for (const r of results.memory as Any[]) {
      out.push(`| ${r.what} | ${(r.bytes / 2 ** 20).toFixed(2)} MiB | ${n(r.bytes / 10_000)} B |`);
    }
    out.push('');
  }
  return out.join('\n');
}
