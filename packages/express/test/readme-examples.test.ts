/**
 * The README embeds the files of `examples/` verbatim: this runs them (importing `@auth/express` by its
 * package name) and checks that the README still shows exactly that code.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main as authorizationServer } from '../examples/authorization-server.js';
import { main as manageCredentials } from '../examples/manage-credentials.js';
import { main as protect } from '../examples/protect.js';
import { main as signIn } from '../examples/sign-in.js';
import { EXPRESS_VARIANTS } from './express-variants.js';
import { startProvider } from './provider.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const example = (name: string) => readFileSync(new URL(`../examples/${name}`, import.meta.url), 'utf8').trim();

describe('README examples', () => {
  it('embeds every example verbatim', () => {
    for (const name of ['protect.ts', 'authorization-server.ts', 'sign-in.ts', 'manage-credentials.ts']) {
      expect(readme.includes(example(name)), name).toBe(true);
    }
  });

  it('protect', async () => {
    expect(await protect()).toEqual({ health: 200, me: { userId: 'u_1', method: 'personal_token' }, anonymous: 401, write: 403 });
  });

  it('mount the authorization server', async () => {
    const { clientId, ...results } = await authorizationServer();
    expect(results).toEqual({ metadata: 200, reports: { clientId, reports: [] } });
  });

  it('sign in', async () => {
    const provider = await startProvider(EXPRESS_VARIANTS[0]!);
    try {
      const redirectUri = 'http://127.0.0.1:1/auth/callback';
      const client = await provider.registerClient(redirectUri);
      expect(await signIn(provider.issuer, { ...client, redirectUri })).toEqual({ login: 303, goesTo: '/oauth/authorize', profile: 401 });
    } finally {
      await provider.close();
    }
  });

  it('manage credentials', async () => {
    expect(await manageCredentials()).toEqual({
      created: 201,
      me: { userId: 'u_ada', method: 'personal_token' },
      listed: 1,
      revoked: 200,
      afterRevoke: 401,
    });
  });
});
