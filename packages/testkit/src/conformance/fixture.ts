/**
 * The conformance fixture: the shared adapter fixture plus OAuth clients of every kind, a password user,
 * a movable clock and a logger that records every line.
 *
 * @module
 */
import { createAuthServer, memoryAuthStore, type Logger } from '@auth/core';
import { type AdapterFixture, createAdapterFixture, FIXTURE_ISSUER, type FixtureValues } from '../adapter-fixture.js';

/** A registered client. `secret` is absent for public clients. */
export interface ConformanceClient {
  id: string;
  secret?: string;
}

/** Redirect URIs registered for the `web` client. */
export const WEB_REDIRECT = 'https://client.example.com/cb';
/** A second registered URI of the `web` client, with a query of its own. */
export const WEB_REDIRECT_WITH_QUERY = 'https://client.example.com/cb?tenant=a&lang=en';
/** The `spa` (public) client's redirect URI. */
export const SPA_REDIRECT = 'http://127.0.0.1:4001/callback';
/** The `other` client's redirect URI. */
export const OTHER_REDIRECT = 'https://other.example.com/cb';
/** The password grant's user. */
export const PASSWORD_USER = { username: 'alice', password: 'correct horse battery staple 42' } as const;

/** Everything cases can use to build requests. */
export interface ConformanceValues extends FixtureValues {
  issuer: string;
  clients: {
    /** Confidential, authorization_code + refresh_token, scopes read write. */
    web: ConformanceClient;
    /** Public, authorization_code + refresh_token, scope read. */
    spa: ConformanceClient;
    /** Confidential, client_credentials only. */
    machine: ConformanceClient;
    /** Confidential, authorization_code + refresh_token, another redirect URI. */
    other: ConformanceClient;
    /** Confidential, password + refresh_token. */
    password: ConformanceClient;
    /** Revoked confidential client. */
    revoked: ConformanceClient;
  };
  /** A session cookie sealed by a server whose secrets this one no longer holds. */
  retiredKeyCookie: string;
  /** A session cookie sealed under this server's key for another cookie name. */
  otherNameCookie: string;
}

/** One recorded log line: level, message and fields as logged. */
export interface LogLine {
  source: 'logger' | 'console';
  level: string;
  text: string;
}

/** The fixture the suite runs on. */
export interface ConformanceFixture extends AdapterFixture {
  values: ConformanceValues;
  /** Milliseconds added to the real clock; scenarios move it and put it back. */
  clock: { offsetMs: number };
  /** Every line the auth server logged. Console lines are added by the runner. */
  logs: LogLine[];
  /** Every secret that was issued or configured: none may appear in a log line or an error. */
  secrets: Set<string>;
}

const FIXTURE_SECRET = 'fixture-secret-0123456789-abcdefghijklmnop';

function recordingLogger(logs: LogLine[]): Logger {
  const line = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    logs.push({ source: 'logger', level, text: `${message} ${fields === undefined ? '' : JSON.stringify(fields)}` });
  };
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}

/** Build the conformance fixture on a fresh memory store. */
export async function createConformanceFixture(): Promise<ConformanceFixture> {
  const clock = { offsetMs: 0 };
  const logs: LogLine[] = [];
  const base = await createAdapterFixture({
    now: () => Date.now() + clock.offsetMs,
    logger: recordingLogger(logs),
    accounts: {
      async authenticate(username, password) {
        return username === PASSWORD_USER.username && password === PASSWORD_USER.password ? { userId: 'u_1', businessId: 'b_1' } : null;
      },
      async permissions(user, business) {
        return user === 'u_1' && (business === 'b_1' || business === null) ? ['read', 'write'] : null;
      },
    },
    oauth: {
      grants: { password: true },
      // The fixture's user has always consented: a signed-in browser gets its code at once.
      interaction: { hasConsent: () => true },
    },
  });
  const { auth } = base;
  const register = async (input: Parameters<typeof auth.clients.register>[0]): Promise<ConformanceClient> => {
    const r = await auth.clients.register(input);
    return r.clientSecret === undefined ? { id: r.client.clientId } : { id: r.client.clientId, secret: r.clientSecret };
  };
  const web = await register({
    name: 'web',
    type: 'confidential',
    redirectUris: [WEB_REDIRECT, WEB_REDIRECT_WITH_QUERY],
    grantTypes: ['authorization_code', 'refresh_token'],
    scopes: ['read', 'write'],
  });
  const spa = await register({
    name: 'spa',
    type: 'public',
    redirectUris: [SPA_REDIRECT],
    grantTypes: ['authorization_code', 'refresh_token'],
    scopes: ['read'],
  });
  const machine = await register({ name: 'machine', type: 'confidential', grantTypes: ['client_credentials'], scopes: ['read', 'write'] });
  const other = await register({
    name: 'other',
    type: 'confidential',
    redirectUris: [OTHER_REDIRECT],
    grantTypes: ['authorization_code', 'refresh_token'],
    scopes: ['read', 'write'],
  });
  const password = await register({ name: 'password', type: 'confidential', grantTypes: ['password', 'refresh_token'], scopes: ['read', 'write'] });
  const revokedReg = await auth.clients.register({
    name: 'revoked',
    type: 'confidential',
    redirectUris: [WEB_REDIRECT],
    grantTypes: ['authorization_code', 'client_credentials'],
    scopes: ['read'],
  });
  await auth.clients.revoke(revokedReg.client.clientId);
  const revoked = { id: revokedReg.client.clientId, secret: revokedReg.clientSecret! };

  // A server with other secrets: its cookies are what a retired key's cookies look like to this one.
  const retired = createAuthServer({
    issuer: FIXTURE_ISSUER,
    store: memoryAuthStore(),
    secrets: ['retired-secret-0123456789-abcdefghijklmnopq'],
    cookies: { secure: false },
  });
  const retiredKeyCookie = `${auth.sessions.name}=${retired.sessions.issue({ userId: 'u_1', businessId: 'b_1', scopes: ['read', 'write'] }).value}`;
  await retired.close();
  // Same secrets, another cookie name: the name is bound into the seal.
  const renamed = createAuthServer({
    issuer: FIXTURE_ISSUER,
    store: memoryAuthStore(),
    secrets: [FIXTURE_SECRET],
    cookies: { secure: false, name: 'other_session' },
  });
  const otherNameCookie = `${auth.sessions.name}=${renamed.sessions.issue({ userId: 'u_1', businessId: 'b_1', scopes: ['read', 'write'] }).value}`;
  await renamed.close();

  const values: ConformanceValues = {
    ...base.values,
    issuer: FIXTURE_ISSUER,
    clients: { web, spa, machine, other, password, revoked },
    retiredKeyCookie,
    otherNameCookie,
  };
  const secrets = new Set<string>([
    FIXTURE_SECRET,
    PASSWORD_USER.password,
    values.apiKey,
    values.pat,
    values.readOnlyPat,
    values.revokedPat,
    values.secret,
    values.accessToken,
    values.csrfToken,
    values.cookie.slice(values.cookieName.length + 1),
    ...Object.values(values.clients).flatMap((c) => (c.secret ? [c.secret] : [])),
  ]);
  return { ...base, values, clock, logs, secrets };
}
