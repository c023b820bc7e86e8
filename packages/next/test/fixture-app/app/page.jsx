import { currentUser } from '../lib/session';

// A Server Component: reads the session (and a fresh token) through auth(), which reads next/headers.
export default async function Home() {
  const user = await currentUser();
  if (!user) return <a href="/auth/login?returnTo=/">Sign in</a>;
  return (
    <main>
      <p>Signed in as {user.name}</p>
      <form method="post" action="/auth/logout">
        <button type="submit">Sign out</button>
      </form>
    </main>
  );
}
