/**
 * A child process for the cross-process single-flight tests: one token manager over the Redis store,
 * driven by JSON lines on stdin, answering with JSON lines on stdout. Stops by itself when stdin closes
 * or after a hard deadline, so a broken parent never leaves it running.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { createTokenManager, type Duration, passwordGrant } from '@auth/core';
import { Redis } from 'ioredis';
import { redisTokenStore } from '../../src/index.js';

interface RunCommand {
  type: 'run';
  prefix: string;
  callers: number;
  lease: Duration;
}

const env = process.env;
const hardDeadline = setTimeout(() => process.exit(3), Number(env.CHILD_MAX_MS ?? 60_000));
hardDeadline.unref();

const redis = new Redis(env.REDIS_URL!, { maxRetriesPerRequest: 1 });
redis.on('error', () => {});
const send = (message: unknown) => process.stdout.write(`${JSON.stringify(message)}\n`);

async function run(command: RunCommand): Promise<void> {
  const store = redisTokenStore({ redis, prefix: command.prefix });
  const grant = passwordGrant({
    tokenEndpoint: env.TOKEN_ENDPOINT!,
    clientId: env.CLIENT_ID!,
    clientSecret: env.CLIENT_SECRET!,
    username: env.USERNAME!,
    password: env.PASSWORD!,
  });
  const tokens = createTokenManager(grant, { store, lock: { lease: command.lease, wait: '20s' } });
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const started = performance.now();
  const results = await Promise.allSettled(Array.from({ length: command.callers }, () => tokens.getAccessToken()));
  const ms = Math.round(performance.now() - started);
  lag.disable();
  const maxLagMs = Math.round(lag.max / 1e6);
  const ok = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const errors = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
  await store.close();
  send({ type: 'result', pid: process.pid, ok: ok.length, failed: errors.length, distinct: [...new Set(ok)], errors: errors.slice(0, 3), ms, maxLagMs });
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const command = JSON.parse(line) as RunCommand | { type: 'exit' };
  if (command.type === 'exit') {
    redis.disconnect();
    process.exit(0);
  }
  run(command).catch((err: unknown) => send({ type: 'error', message: String(err) }));
});
lines.on('close', () => process.exit(0));
redis.ping().then(
  () => send({ type: 'ready', pid: process.pid }),
  (err: unknown) => send({ type: 'error', message: `Redis unreachable: ${String(err)}` }),
);
