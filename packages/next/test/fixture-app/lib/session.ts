import { auth } from './auth';

/** What the home page shows: the signed-in user, never the token itself. */
export async function currentUser(): Promise<{ name: string; hasToken: boolean } | null> {
  const session = await auth();
  if (!session) return null;
  return { name: String(session.user?.name ?? session.user?.sub ?? 'someone'), hasToken: typeof session.accessToken === 'string' };
}
