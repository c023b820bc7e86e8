import { currentUser } from '../../lib/session';

// Public (see proxy.ts): renders the session state through auth() and next/headers at request time.
export default async function WhoAmI() {
  const user = await currentUser();
  return <p id="state">{user ? `signed in as ${user.name}` : 'signed out'}</p>;
}
