/**
 * Signing users in to the provider with @auth/next: authorization code + PKCE, response_mode form_post.
 * Built on first use (not at import) so `next build` needs no seeded provider; kept on globalThis so the
 * token and session stores (memory, per process) survive module reloads in `next dev`.
 */
import { authorizationCode, createNextAuth, type NextAuth } from '@auth/next';
import { loadConfig } from './config';
import { countingFetch, e2eHooksEnabled } from './e2e-hooks';

const holder = globalThis as typeof globalThis & { __nextClientAuth?: NextAuth };

export function nextAuth(): NextAuth {
  if (holder.__nextClientAuth) return holder.__nextClientAuth;
  const config = loadConfig();
  // A confidential client authenticates with its secret; a public one relies on PKCE alone.
  const clientAuth = config.clientSecret ? { clientSecret: config.clientSecret } : { clientAuth: 'none' as const };
  holder.__nextClientAuth = createNextAuth({
    grant: authorizationCode({
      issuer: config.providerUrl,
      clientId: config.clientId,
      ...clientAuth,
      redirectUri: config.redirectUri,
      scope: config.scope,
      responseMode: 'form_post',
      ...(e2eHooksEnabled ? { fetch: countingFetch } : {}),
    }),
    secrets: [config.signInSecret],
    afterLogin: '/dashboard',
    afterLogout: '/',
    // session.user: who signed in, from the provider's /v1/me (called once, at the callback).
    async user(tokenSet) {
      const res = await fetch(`${config.providerUrl}/v1/me`, {
        headers: { authorization: `Bearer ${tokenSet.accessToken}`, accept: 'application/json' },
      });
      return res.ok ? ((await res.json()) as Record<string, unknown>) : null;
    },
  });
  return holder.__nextClientAuth;
}

/** The provider's API base URL. */
export function providerUrl(): string {
  return loadConfig().providerUrl;
}
