import { nextAuth } from '../lib/auth';

export const dynamic = 'force-dynamic';

export default async function Home() {
  const session = await nextAuth().auth({ accessToken: false });
  if (session) {
    return (
      <section data-testid="signed-in">
        <p>You are signed in.</p>
        <a className="button" href="/dashboard" data-testid="dashboard-link">
          Open your data
        </a>
      </section>
    );
  }
  return (
    <section data-testid="signed-out">
      <p>You are signed out.</p>
      <a className="button" href="/auth/login?returnTo=%2Fdashboard" data-testid="sign-in">
        Sign in with provider
      </a>
    </section>
  );
}
