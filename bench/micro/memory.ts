/**
 * Child process (run with --expose-gc): (5) heap per 10,000 cached token sets (client) and per 10,000
 * cached verified credentials (server: personal tokens, and OAuth access-token principals). Each figure
 * is heapUsed after gc() with the entries cached, minus heapUsed after gc() with the same objects alive
 * but nothing cached yet. argv: rounds.
 */
import { createAuthServer, createTokenManager, type Grant, memoryAuthStore, type TokenSet } from '@auth/core';
import { result } from '../lib/child.js';
import { median } from '../lib/stats.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const N = 10_000;
const rounds = Number(process.argv[2] ?? 3);
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
let seq = 0;
const rand = () => `${(seq++).toString(36)}_${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;

async function tokenSets(): Promise<number> {
  // Realistic sizes: 43-character opaque tokens, a refresh token, a scope.
  const grant: Grant = {
    grantType: 'client_credentials',
    identity: 'bench:memory',
    requestToken: async (): Promise<TokenSet> => ({
      accessToken: `at_${rand().padEnd(40, 'x')}`,
      refreshToken: `rt_${rand().padEnd(40, 'x')}`,
      scope: 'read write',
      tokenType: 'Bearer',
      expiresAt: Date.now() + 3_600_000,
      obtainedAt: Date.now(),
    }),
    refresh: async () => {
      throw new Error('unused');
    },
    revokeToken: async () => {},
  };
  const tokens = createTokenManager(grant);
  const subjects = Array.from({ length: N }, (_, i) => `user-${i}`);
  const before = heap();
  for (const s of subjects) await tokens.getAccessToken(s);
  const after = heap();
  if ((await tokens.getAccessToken('user-1')).length < 10) throw new Error('unreachable');
  return after - before;
}

async function server(kind: 'pat' | 'access_token'): Promise<number> {
  const store = memoryAuthStore();
  const auth = createAuthServer({
    issuer: 'http://127.0.0.1',
    store,
    secrets: ['bench-memory-secret-0123456789-abcdefghij'],
    methods: { bearer: true, cache: { maxEntries: N * 2, ttl: '1h' } },
  });
  const secrets: string[] = [];
  if (kind === 'pat') {
    for (let i = 0; i < N; i++) {
      secrets.push((await auth.personalTokens.create({ name: `t${i}`, userId: `u${i}`, businessId: 'b1', scopes: ['read'] })).secret);
    }
  } else {
    const { client, clientSecret } = await auth.clients.register({
      name: 'm',
      type: 'confidential',
      redirectUris: [],
      grantTypes: ['client_credentials'],
      scopes: ['read'],
    });
    const basic = `Basic ${Buffer.from(`${client.clientId}:${clientSecret}`).toString('base64')}`;
    for (let i = 0; i < N; i++) {
      const res = await auth.handle(
        new Request('http://127.0.0.1/oauth/token', {
          method: 'POST',
          headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=client_credentials&scope=read',
        }),
      );
      secrets.push(((await res.json()) as { access_token: string }).access_token);
    }
  }
  const headers = secrets.map((s) => `Bearer ${s}`);
  const before = heap();
  for (const h of headers) await auth.verify((name) => (name === 'authorization' ? h : undefined));
  const after = heap();
  await auth.close();
  return after - before;
}

const out = { tokenSets: [] as number[], pat: [] as number[], accessTokens: [] as number[] };
for (let r = 0; r < rounds; r++) {
  out.tokenSets.push(await tokenSets());
  out.pat.push(await server('pat'));
  out.accessTokens.push(await server('access_token'));
}
result([
  { what: 'client: cached token sets (createTokenManager, memory store, 10,000 subjects)', bytes: median(out.tokenSets), perRound: out.tokenSets },
  { what: 'server: cached verified personal tokens (verifier credential cache)', bytes: median(out.pat), perRound: out.pat },
  { what: 'server: cached OAuth access-token principals (verifier token cache)', bytes: median(out.accessTokens), perRound: out.accessTokens },
]);
