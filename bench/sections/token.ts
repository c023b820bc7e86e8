/**
 * (2) Token endpoint: client_credentials and refresh_token grants per second on SQLite (and Postgres when
 * one answers at 127.0.0.1:5432, in a unique schema dropped afterwards), vs node-oidc-provider's
 * client_credentials on its memory adapter. All servers run at once; contenders are interleaved per round
 * and each of ours is divided by the peer's sample of the same round.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Started, startChild } from '../lib/child.js';
import { type Sample, sample } from '../lib/load.js';
import { median, rotate } from '../lib/stats.js';
import type { Mode } from '../run.js';

const PG_ADMIN = process.env.AUTH_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface ServerInfo {
  port: number;
  basic: string;
  path: string;
  refreshTokens?: string[];
}

interface Contender {
  server: string;
  store: string;
  grant: 'client_credentials' | 'refresh_token';
  run(duration: number): Promise<Sample>;
}

export interface TokenRow {
  server: string;
  store: string;
  grant: string;
  rps: number;
  cpuPerGrant: number;
  /** Median over rounds of rps / oidc-provider rps in the same round. */
  ratio: number;
  /** Median over rounds of cpu(oidc-provider)/cpu(ours) per grant. */
  cpuRatio: number;
  ratioPerRound: number[];
  p99: number;
  non2xx: number;
}

function contenders(name: string, storeName: string, s: Started<ServerInfo>, connections: number): Contender[] {
  const base = `http://127.0.0.1:${s.info.port}`;
  const headers = { authorization: s.info.basic, 'content-type': 'application/x-www-form-urlencoded' };
  const list: Contender[] = [
    {
      server: name,
      store: storeName,
      grant: 'client_credentials',
      run: (duration) =>
        sample(base, {
          url: base + s.info.path,
          method: 'POST',
          headers,
          body: 'grant_type=client_credentials&scope=read',
          duration,
          connections,
        }),
    },
  ];
  const latest = s.info.refreshTokens;
  if (latest) {
    list.push({
      server: name,
      store: storeName,
      grant: 'refresh_token',
      run: (duration) =>
        sample(base, { url: base + s.info.path, duration, connections, requests: rotatingRequests(s.info.path, headers, latest) }),
    });
  }
  return list;
}

/**
 * An autocannon request chain that redeems refresh tokens, each family by one request at a time. autocannon's
 * per-request context does not survive to the connection's next request, so families are lent from a pool:
 * a request takes a free family, its response hands the family (with the refresh token just issued) back.
 * `latest` (one current refresh token per family) is updated in place.
 */
export function rotatingRequests(path: string, headers: Record<string, string>, latest: string[]): Record<string, unknown>[] {
  const free = latest.map((_, i) => i);
  return [
    {
      method: 'POST',
      path,
      headers,
      setupRequest(req: Record<string, unknown>, ctx: { i?: number }) {
        ctx.i = free.shift();
        if (ctx.i === undefined) throw new Error('no free token family');
        req.body = `grant_type=refresh_token&refresh_token=${latest[ctx.i]}`;
        return req;
      },
      onResponse(status: number, body: string, ctx: { i?: number }) {
        if (ctx.i === undefined) return;
        if (status === 200) latest[ctx.i] = (JSON.parse(body) as { refresh_token: string }).refresh_token;
        free.push(ctx.i);
        ctx.i = undefined;
      },
    },
  ];
}

export async function benchToken(mode: Mode, log: (s: string) => void): Promise<{ rows: TokenRow[]; notes: string[] }> {
  const notes: string[] = [];
  const connections = 8;
  const env = { BENCH_FAMILIES: String(connections * 2) };
  Object.assign(process.env, env);
  const started: Started<ServerInfo>[] = [];
  let admin: pg.Pool | undefined;
  let schema: string | undefined;
  try {
    const oidc = await startChild<ServerInfo>('servers/token-oidc.ts');
    started.push(oidc);
    const sqlite = await startChild<ServerInfo>('servers/token-ours.ts', ['sqlite']);
    started.push(sqlite);
    // The same server on plain node:http (the core docs' serveBackChannel example): oidc-provider runs on
    // node:http too, so this row compares the two authorization servers without Fastify's share.
    const sqliteNode = await startChild<ServerInfo>('servers/token-ours.ts', ['sqlite', '--http=node']);
    started.push(sqliteNode);
    const all: Contender[] = [
      ...contenders('oidc-provider', 'memory adapter', oidc, connections),
      ...contenders('@auth/core', 'SQLite file', sqlite, connections),
      ...contenders('@auth/core on node:http', 'SQLite file', sqliteNode, connections),
    ];
    try {
      admin = new pg.Pool({ connectionString: PG_ADMIN, max: 1, connectionTimeoutMillis: 3000 });
      schema = `auth_bench_${randomBytes(6).toString('hex')}`;
      await admin.query(`create schema "${schema}"`);
      const url = new URL(PG_ADMIN);
      url.searchParams.set('options', `-c search_path=${schema}`);
      const postgres = await startChild<ServerInfo>('servers/token-ours.ts', ['postgres', url.toString()]);
      started.push(postgres);
      all.push(...contenders('@auth/core', 'Postgres (loopback)', postgres, connections));
    } catch (error) {
      notes.push(`Postgres skipped: ${(error as Error).message}`);
      schema = undefined;
    }
    for (const c of all) await c.run(mode.warmup);
    const samples = new Map<Contender, Sample[]>(all.map((c) => [c, []]));
    const peer = all[0]!;
    for (let r = 0; r < mode.rounds; r++) {
      for (const c of rotate(all, r)) samples.get(c)!.push(await c.run(mode.duration));
      log(`  token round ${r + 1}/${mode.rounds}`);
    }
    const peerSamples = samples.get(peer)!;
    const rows = all.map((c): TokenRow => {
      const ss = samples.get(c)!;
      const ratioPerRound = ss.map((s, i) => s.rps / peerSamples[i]!.rps);
      return {
        server: c.server,
        store: c.store,
        grant: c.grant,
        rps: median(ss.map((s) => s.rps)),
        cpuPerGrant: median(ss.map((s) => s.cpuPerReq)),
        ratio: median(ratioPerRound),
        cpuRatio: median(ss.map((s, i) => peerSamples[i]!.cpuPerReq / s.cpuPerReq)),
        ratioPerRound,
        p99: median(ss.map((s) => s.p99)),
        non2xx: ss.reduce((a, s) => a + s.non2xx + s.errors, 0),
      };
    });
    notes.push(
      `${connections} connections per contender; refresh_token: each connection rotates its own token family (every request redeems the refresh token the previous response issued).`,
      'Server CPU per grant is the server process only; Postgres also spends CPU in its own backend processes (not counted).',
    );
    return { rows, notes };
  } finally {
    for (const s of started) await s.stop();
    if (admin && schema) await admin.query(`drop schema if exists "${schema}" cascade`).catch(() => {});
    await admin?.end().catch(() => {});
  }
}
