import 'reflect-metadata';
import { type AdapterFixture, createAdapterFixture, FIXTURE_ISSUER, principalBody } from '@auth/testkit';
import { Controller, Get, Headers, type INestApplication, Inject } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AUTH_SERVER,
  AuthModule,
  type AuthServer,
  authorizationCode,
  createSignIn,
  InjectSignIn,
  Public,
  type SignIn,
} from '../src/index.js';
import type request from 'supertest';
import { createApp, http, PLATFORMS, type Platform } from './nest-app.js';

const APP_ORIGIN = 'http://127.0.0.1:4001';
const CALLBACK = `${APP_ORIGIN}/auth/callback`;

/** Calls "the API" (the fixture's verifier) with the signed-in session's access token. */
@Controller('profile')
class ProfileController {
  constructor(
    @InjectSignIn() private readonly signIn: SignIn,
    @Inject(AUTH_SERVER) private readonly api: AuthServer,
  ) {}

  @Public()
  @Get()
  async profile(@Headers('cookie') cookie: string | undefined) {
    const token = await this.signIn.getAccessToken(cookie);
    const principal = await this.api.verify((name) => (name === 'authorization' ? `Bearer ${token}` : undefined));
    return principalBody(principal);
  }
}


/** Cookies from Set-Cookie headers, as a browser would keep them (deleted ones dropped). */
function jar(setCookie: string[] | string | undefined, previous: Map<string, string> = new Map()) {
  const next = new Map(previous);
  for (const c of [setCookie ?? []].flat()) {
    const [pair] = c.split(';');
    const eq = pair!.indexOf('=');
    const name = pair!.slice(0, eq);
    const value = pair!.slice(eq + 1);
    if (value === '' || /max-age=0/i.test(c)) next.delete(name);
    else next.set(name, value);
  }
  return next;
}
const cookieHeader = (j: Map<string, string>) => [...j].map(([k, v]) => `${k}=${v}`).join('; ');

const variants: { platform: Platform; bodyParser: boolean; responseMode: 'query' | 'form_post' }[] = [
  ...PLATFORMS.flatMap((platform) => (['query', 'form_post'] as const).map((responseMode) => ({ platform, bodyParser: true, responseMode }))),
  { platform: 'express', bodyParser: false, responseMode: 'form_post' },
];

for (const { platform, bodyParser, responseMode } of variants) {
  describe(`sign-in routes on ${platform}, ${responseMode}${bodyParser ? '' : ' (no body parser)'}`, () => {
    let fixture: AdapterFixture;
    let app: INestApplication;
    let signIn: SignIn;

    beforeAll(async () => {
      fixture = await createAdapterFixture({ oauth: { interaction: { hasConsent: () => true } } });
      const client = await fixture.auth.clients.register({
        name: 'web app',
        type: 'public',
        redirectUris: [CALLBACK],
        grantTypes: ['authorization_code', 'refresh_token'],
        scopes: ['read'],
      });
      // The back channel (discovery, token, revocation) reaches the authorization server in-process.
      const asFetch: typeof fetch = async (input, init) => fixture.auth.handle(new Request(input, init));
      signIn = createSignIn({
        grant: authorizationCode({ issuer: FIXTURE_ISSUER, clientId: client.client.clientId, redirectUri: CALLBACK, scope: 'read', responseMode, fetch: asFetch }),
        secrets: ['nest-sign-in-secret-0123456789-abcdefghij'],
        afterLogin: '/profile',
      });
      app = await createApp(
        platform,
        {
          imports: [AuthModule.forRoot({ server: fixture.auth, signIn, publicOrigin: APP_ORIGIN, globalGuard: true })],
          controllers: [ProfileController],
        },
        { bodyParser },
      );
    });
    afterAll(async () => {
      await app?.close();
      await fixture?.close();
    });

    async function login(): Promise<Map<string, string>> {
      const start = await http(app).get('/auth/login');
      expect(start.status).toBe(303);
      let cookies = jar(start.headers['set-cookie'] as unknown as string[]);
      const authorizeUrl = start.headers.location as string;
      expect(authorizeUrl.startsWith(`${FIXTURE_ISSUER}/oauth/authorize?`)).toBe(true);
      // The user is signed in at the authorization server (fixture session) and has consented.
      const authorized = await fixture.auth.handle(new Request(authorizeUrl, { headers: { cookie: fixture.values.cookie } }));
      let callback: request.Response;
      if (responseMode === 'query') {
        expect(authorized.status).toBe(303);
        const location = new URL(authorized.headers.get('location')!);
        expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
        callback = await http(app).get(`/auth/callback${location.search}`).set('cookie', cookieHeader(cookies));
      } else {
        expect(authorized.status).toBe(200);
        const html = await authorized.text();
        const fields = Object.fromEntries([...html.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]!.replace(/&amp;/g, '&')]));
        expect(fields.code).toEqual(expect.any(String));
        callback = await http(app)
          .post('/auth/callback')
          .set('cookie', cookieHeader(cookies))
          .type('form')
          .send(new URLSearchParams(fields as Record<string, string>).toString());
      }
      expect(callback.status, JSON.stringify(callback.body)).toBe(303);
      expect(callback.headers.location).toBe('/profile');
      cookies = jar(callback.headers['set-cookie'] as unknown as string[], cookies);
      return cookies;
    }

    it('login -> callback -> session; the accessor calls the API as the user', async () => {
      const cookies = await login();
      const session = await http(app).get('/auth/session').set('cookie', cookieHeader(cookies));
      expect(session.status).toBe(200);
      expect(session.body).toMatchObject({ signedIn: true, scope: 'read' });
      expect(JSON.stringify(session.body)).not.toMatch(/at_|rt_/);

      const profile = await http(app).get('/profile').set('cookie', cookieHeader(cookies));
      expect(profile.status).toBe(200);
      expect(profile.body).toMatchObject({ method: 'access_token', userId: fixture.values.userId, scopes: ['read'] });
    });

    it('logout needs the CSRF token, then revokes the tokens and ends the session', async () => {
      const cookies = await login();
      const token = await signIn.getAccessToken(cookieHeader(cookies));
      const refused = await http(app).post('/auth/logout').set('cookie', cookieHeader(cookies));
      expect(refused.status).toBe(403);

      const { csrfToken } = (await http(app).get('/auth/session').set('cookie', cookieHeader(cookies))).body as { csrfToken: string };
      const out = await http(app)
        .post('/auth/logout')
        .set('cookie', cookieHeader(cookies))
        .set('origin', APP_ORIGIN)
        .type('form')
        .send(`_csrf=${encodeURIComponent(csrfToken)}`);
      expect(out.status).toBe(303);
      const after = jar(out.headers['set-cookie'] as unknown as string[], cookies);
      expect((await http(app).get('/auth/session').set('cookie', cookieHeader(after))).body).toEqual({ signedIn: false });
      await expect(fixture.auth.verify((name) => (name === 'authorization' ? `Bearer ${token}` : undefined))).rejects.toMatchObject({ status: 401 });
      // Not signed in any more: the accessor's error is rendered by the module's filter as the core's 401.
      const profile = await http(app).get('/profile').set('cookie', cookieHeader(cookies));
      expect(profile.status).toBe(401);
      expect(profile.body.error).toBe('login_required');
    });

    it('a callback without its transaction is a 400 in the standard format', async () => {
      const res = await http(app).get('/auth/callback?code=abc&state=def').set('accept', 'application/json');
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_request');
    });
  });
}
