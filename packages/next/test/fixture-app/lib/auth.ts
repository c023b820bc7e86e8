import { authorizationCode, createAuthServer, createNextAuth, createProviderRoutes, createWithAuth, memoryAuthStore } from '@auth/next';

const secret = process.env.AUTH_SECRET ?? 'fixture-app-secret-0123456789-abcdefghijkl';

// Signing users in to the API below (the same app plays both roles to stay small).
export const { handlers, auth, proxy } = createNextAuth({
  grant: authorizationCode({
    authorizationEndpoint: 'http://127.0.0.1:3000/oauth/authorize',
    tokenEndpoint: 'http://127.0.0.1:3000/oauth/token',
    clientId: process.env.CLIENT_ID ?? 'fixture-client',
    clientSecret: process.env.CLIENT_SECRET ?? 'fixture-client-secret',
    redirectUri: 'http://127.0.0.1:3000/auth/callback',
    scope: 'read',
    responseMode: 'form_post',
  }),
  secrets: [secret],
});

// Being the API: the authorization server and route protection.
export const server = createAuthServer({
  issuer: 'http://127.0.0.1:3000',
  store: memoryAuthStore(),
  secrets: [secret],
  methods: { apiKey: true, bearer: true },
});
export const provider = createProviderRoutes(server);
export const withAuth = createWithAuth(server);
