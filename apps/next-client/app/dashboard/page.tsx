import { ReauthenticationRequiredError } from '@auth/next';
import { redirect } from 'next/navigation';
import { nextAuth, providerUrl } from '../../lib/auth';

export const dynamic = 'force-dynamic';

const LOGIN = '/auth/login?returnTo=%2Fdashboard';

interface Campaign {
  id?: string;
  name?: string;
  businessId?: string;
}

/**
 * A Server Component: the user's data from the provider's API, fetched with the user's access token.
 * `fetch` from @auth/next refreshes the token when it is due (both calls share one single-flight
 * refresh) and retries once on a 401; the rotated refresh token is kept server-side, so a Server
 * Component, which cannot set cookies, refreshes safely.
 */
export default async function Dashboard() {
  const auth = nextAuth();
  const session = await auth.auth({ accessToken: false });
  if (!session) redirect(LOGIN);

  const api = providerUrl();
  let me: unknown;
  let campaigns: Campaign[];
  let statuses: number[];
  try {
    const [meRes, campaignsRes] = await Promise.all([
      auth.fetch(`${api}/v1/me`, { headers: { accept: 'application/json' } }),
      auth.fetch(`${api}/v1/campaigns`, { headers: { accept: 'application/json' } }),
    ]);
    statuses = [meRes.status, campaignsRes.status];
    me = await meRes.json();
    // The provider answers `{ businessId, items: [...] }`.
    const body = (await campaignsRes.json()) as { items?: Campaign[] };
    campaigns = body.items ?? [];
  } catch (err) {
    // The refresh token is dead (revoked, expired): the session is gone, sign in again.
    if (err instanceof ReauthenticationRequiredError) redirect(LOGIN);
    throw err;
  }

  return (
    <>
      <section>
        <h2>Your profile</h2>
        <p className="muted">GET {api}/v1/me → {statuses[0]}</p>
        <pre data-testid="me">{JSON.stringify(me, null, 2)}</pre>
      </section>
      <section>
        <h2>Your campaigns</h2>
        <p className="muted">GET {api}/v1/campaigns → {statuses[1]}</p>
        <ul data-testid="campaigns">
          {campaigns.map((c, i) => (
            <li key={c.id ?? i} data-testid="campaign">
              {c.name ?? c.id} <span className="muted">({c.id})</span>
            </li>
          ))}
        </ul>
      </section>
      <section>
        <p className="muted" data-testid="session-info">
          Session scope: {session.scope ?? '—'} · rendered at {new Date().toISOString()}
        </p>
        <form method="post" action="/auth/logout">
          <input type="hidden" name="_csrf" value={session.csrfToken} />
          <button className="button" type="submit" data-testid="sign-out">
            Sign out
          </button>
        </form>
      </section>
    </>
  );
}
