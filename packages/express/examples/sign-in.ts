import type { AddressInfo } from 'node:net';
import express from 'express';
import { authErrorHandler, authorizationCode, createSignIn, signInRoutes } from '@auth/express';

/** A web app that signs users in to the API at `issuer` and calls it for them. */
export async function main(issuer: string, client: { clientId: string; clientSecret: string; redirectUri: string }) {
  const signIn = createSignIn({
    grant: authorizationCode({
      issuer, // discovery: /.well-known/oauth-authorization-server
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      redirectUri: client.redirectUri, // .../auth/callback
      scope: 'read',
      responseMode: 'form_post',
    }),
    secrets: [process.env.SIGN_IN_SECRET ?? 'dev-only-sign-in-secret-0123456789ab'],
  });

  const app = express();
  app.use(signInRoutes(signIn)); // /auth/login, /auth/callback, /auth/logout, /auth/session; sets req.signIn
  app.get('/profile', async (req, res, next) => {
    try {
      const api = await req.signIn!.fetch(`${issuer}/v1/me`); // fresh access token, refreshed once if needed
      res.status(api.status).json(await api.json());
    } catch (err) {
      next(err); // not signed in: 401 login_required, rendered by authErrorHandler
    }
  });
  app.use(authErrorHandler());

  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const login = await fetch(`${base}/auth/login?returnTo=/profile`, { redirect: 'manual' });
  const results = {
    login: login.status, // 303 to the authorization server
    goesTo: new URL(login.headers.get('location')!).pathname, // /oauth/authorize
    profile: (await fetch(`${base}/profile`)).status, // 401 until signed in
  };
  server.close();
  return results;
}
