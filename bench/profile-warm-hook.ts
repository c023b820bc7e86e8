/**
 * `node --import tsx bench/profile-warm-hook.ts <express|fastify> <apiKey|pat|opaque|cookie> [iterations]`
 * The adapter's protection of one warm request, called in a loop on a real framework request (captured
 * from a real request on loopback), with a fresh copy of the credential header on every call, as a server
 * receives it: V8 caches a string's hash on the string, so a loop that reuses one header string measures
 * lookups a server never gets. Prints ns per call (best and median of 7 runs); no HTTP, so it resolves
 * differences of tens of nanoseconds that load runs cannot.
 */
import type { AddressInfo } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { authenticate } from '@auth/express';
import fastifyAuth from '@auth/fastify';
import express from 'express';
import Fastify from 'fastify';
import { createFixture } from './lib/fixture.js';

const [framework = 'fastify', scheme = 'pat', iterations = '1000000'] = process.argv.slice(2) as [string, 'apiKey' | 'pat' | 'opaque' | 'cookie', string];
const M = Number(iterations);
const fx = await createFixture();
const headers = fx.creds[scheme];

/** One protected call on the captured request; the raw request whose headers the loop replaces. */
let call: () => void;
let raw: IncomingMessage;
let close: () => Promise<void>;
if (framework === 'express') {
  const app = express();
  const mw = authenticate(fx.auth);
  let captured: { req: express.Request; res: express.Response } | undefined;
  app.get('/ours', mw, (req, res) => {
    captured = { req, res };
    res.json({ ok: true });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const r = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/ours`, { headers });
  if (r.status !== 200 || !captured) throw new Error(`warm-up failed: ${r.status} ${await r.text()}`);
  const { req, res } = captured;
  const next = () => {};
  raw = req;
  call = () => mw(req, res, next);
  close = async () => void server.close();
} else {
  const app = Fastify({ logger: false });
  let hook: ((q: unknown, r: unknown, d: () => void) => void) | undefined;
  let captured: { request: import('fastify').FastifyRequest; reply: import('fastify').FastifyReply } | undefined;
  await app.register(async (scope) => {
    await scope.register(fastifyAuth, { auth: fx.auth });
    hook = scope.authenticate as unknown as typeof hook;
    scope.get('/ours', async (request, reply) => {
      captured = { request, reply };
      return { ok: true };
    });
  });
  const r = await app.inject({ method: 'GET', url: '/ours', headers });
  if (r.statusCode !== 200 || !captured || !hook) throw new Error(`warm-up failed: ${r.statusCode} ${r.body}`);
  const { request, reply } = captured;
  const done = () => {};
  const run = hook;
  raw = request.raw;
  call = () => {
    request.auth = null;
    run(request, reply, done);
  };
  close = () => app.close();
}

// The credential header, in both places the core reads it from (rawHeaders for Authorization).
const name = Object.keys(headers).find((h) => h !== 'x-business-id' && h !== 'x-user-id')!;
const parsed = raw.headers as Record<string, string>;
const rawIndex = raw.rawHeaders.findIndex((h) => h.toLowerCase() === name) + 1;
const runs: number[] = [];
for (let k = 0; k < 7; k++) {
  const fresh = Array.from({ length: M }, () => Buffer.from(parsed[name]!).toString());
  const t = process.hrtime.bigint();
  for (let i = 0; i < M; i++) {
    parsed[name] = fresh[i]!;
    raw.rawHeaders[rawIndex] = fresh[i]!;
    call();
  }
  runs.push(Number(process.hrtime.bigint() - t) / M);
}
runs.sort((a, b) => a - b);
console.log(`${framework} ${scheme}: best ${runs[0]!.toFixed(1)} ns, median ${runs[3]!.toFixed(1)} ns per protected call (fresh header strings)`);
await close();
await fx.close();
