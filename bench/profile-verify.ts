/**
 * `node --cpu-prof --conditions=@auth/source --import tsx bench/profile-verify.ts [scheme] [iterations]`
 * Calls `auth.verify` in a loop for one scheme (warm cache), for CPU profiles of the core's hot path
 * without HTTP. Prints microseconds per verification.
 */
import { createFixture } from './lib/fixture.js';

const scheme = (process.argv[2] ?? 'pat') as 'apiKey' | 'pat' | 'opaque' | 'jwt' | 'cookie';
const iterations = Number(process.argv[3] ?? 50_000);
const fx = await createFixture();
const headers = fx.creds[scheme];
const get = (name: string) => headers[name];
const auth = scheme === 'jwt' ? fx.jwtAuth : fx.auth;
const options = { httpMethod: 'GET' };
for (let i = 0; i < 2000; i++) await auth.verify(get, options);
const t0 = process.hrtime.bigint();
for (let i = 0; i < iterations; i++) await auth.verify(get, options);
const us = Number(process.hrtime.bigint() - t0) / 1000 / iterations;
process.stdout.write(`${scheme}: ${us.toFixed(2)} us/verify\n`);
await fx.close();
