// Test hook, 404 unless NEXT_CLIENT_E2E_HOOKS=1 (see lib/e2e-hooks.ts).
import { nextAuth } from '../../lib/auth';
import { e2eHooksEnabled, tokenRequests } from '../../lib/e2e-hooks';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  if (!e2eHooksEnabled) return new Response('Not found', { status: 404 });
  const { signIn } = nextAuth();
  const session = await signIn.getSession(request);
  const tokenSet = session ? await signIn.tokens.getTokenSet(session.sessionId).catch(() => null) : null;
  return Response.json(
    { tokenRequests: tokenRequests(), signedIn: Boolean(session), refreshToken: tokenSet?.refreshToken ?? null },
    { headers: { 'cache-control': 'no-store' } },
  );
}
