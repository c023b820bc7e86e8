/**
 * Test hooks for the browser e2e (apps/e2e), OFF unless NEXT_CLIENT_E2E_HOOKS=1: a count of this app's
 * token endpoint requests by grant type, and `/e2e-hooks` (see app/e2e-hooks/route.ts), which lets the
 * test check that exactly one refresh happened and that the refresh token is dead after sign-out.
 * Never enable it outside tests: the route hands out the session's refresh token.
 */
export const e2eHooksEnabled = process.env.NEXT_CLIENT_E2E_HOOKS === '1';

const holder = globalThis as typeof globalThis & { __nextClientTokenRequests?: Record<string, number> };

/** Token endpoint requests so far, by `grant_type`. */
export function tokenRequests(): Record<string, number> {
  holder.__nextClientTokenRequests ??= {};
  return holder.__nextClientTokenRequests;
}

/** A fetch that counts token endpoint requests by grant type (the core calls it for token requests). */
export const countingFetch: typeof globalThis.fetch = async (input, init) => {
  const body = init?.body;
  const grantType = body instanceof URLSearchParams ? body.get('grant_type') : typeof body === 'string' ? new URLSearchParams(body).get('grant_type') : null;
  if (grantType) {
    const counts = tokenRequests();
    counts[grantType] = (counts[grantType] ?? 0) + 1;
  }
  return globalThis.fetch(input, init);
};
