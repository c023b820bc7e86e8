/**
 * The authorization endpoint (RFC 6749 section 3.1, 4.1.1; RFC 7636; RFC 9207).
 *
 * Until the client and redirect URI are known good, every problem is an HTML error page: redirecting to an
 * unverified URI would make this an open redirector. After that, errors go back to the client.
 *
 * The request then waits for login and consent as a sealed `tx` (see `interaction.ts`): the browser
 * carries it through the host's pages and back to `?tx=...` here, but cannot read or change it, and it
 * only opens in the browser that started it.
 *
 * @module
 */
import { OAuthError } from '../../errors.js';
import type { SessionCookies } from '../cookies/session-cookies.js';
import type { ServerContext } from '../context.js';
import type { ClientRecord } from '../store.js';
import { authorizationError, authorizationResponse, issueAuthorizationCode, type ResponseTarget } from './authorization-response.js';
import type { EndpointPaths } from './endpoint-paths.js';
import { errorPage } from './html.js';
import {
  browserId,
  newBrowserId,
  openPending,
  sealPending,
  type InteractionUser,
  type PendingAuthorization,
} from './interaction.js';
import type { ResolvedOAuthOptions } from './oauth-options.js';
import { formParams, type PreParsedBody } from './request-params.js';
import { grantScopes, parseScope } from './scopes.js';

/** What the authorization endpoint and the built-in pages share. */
export interface AuthorizeContext {
  ctx: ServerContext;
  options: ResolvedOAuthOptions;
  paths: EndpointPaths;
  sessions: SessionCookies;
}

const CHALLENGE_RE = /^[A-Za-z0-9_-]{43}$/;
const MAX_STATE = 2048;
const MAX_CLIENT_ID = 256;

/** The signed-in user: the host's `currentUser`, or the session cookie. */
export async function currentUser(a: AuthorizeContext, request: Request): Promise<InteractionUser | null> {
  const custom = a.options.interaction.currentUser;
  if (custom) return (await custom(request)) ?? null;
  const session = await a.sessions.read(request.headers.get('cookie') ?? undefined);
  return session ? { userId: session.userId, businessId: session.businessId } : null;
}

/** The URL the browser comes back to after login or consent. */
export function resumeUrl(a: AuthorizeContext, tx: string): string {
  return `${a.paths.url('authorize')}?tx=${encodeURIComponent(tx)}`;
}

/** A client that may still use the authorization endpoint with this redirect URI, or null. */
export async function activeClient(ctx: ServerContext, clientId: string, redirectUri: string): Promise<ClientRecord | null> {
  const client = await ctx.store.getClient(clientId);
  if (!client || client.revokedAt !== null || !client.redirectUris.includes(redirectUri)) return null;
  return client;
}

/** Parameters with their repeat counts, so a duplicate is reported where it can be reported safely. */
function multiParams(entries: Iterable<[string, string]>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [k, v] of entries) {
    if (v === '') continue;
    const list = out.get(k);
    if (list) list.push(v);
    else out.set(k, [v]);
  }
  return out;
}

const expired = () =>
  errorPage(
    400,
    'invalid_request',
    'This sign-in request has expired or was started in another browser. Go back to the application and start again.',
  );

/** Serve the authorization endpoint (GET, or POST with a form body). */
export async function authorizeEndpoint(a: AuthorizeContext, request: Request, body: PreParsedBody | undefined): Promise<Response> {
  let raw: Map<string, string[]>;
  if (request.method === 'GET') {
    raw = multiParams(new URL(request.url).searchParams.entries());
  } else if (request.method === 'POST') {
    try {
      const form = await formParams(request, body, a.options.maxBodyBytes);
      raw = new Map([...form].map(([k, v]) => [k, [v]]));
    } catch (err) {
      if (err instanceof OAuthError) return errorPage(400, err.error, err.error_description ?? 'Invalid request');
      throw err;
    }
  } else {
    return errorPage(405, 'invalid_request', 'Use GET or POST');
  }

  const tx = raw.get('tx');
  if (tx) return resume(a, request, tx, raw);

  const clientIds = raw.get('client_id');
  if (!clientIds) return errorPage(400, 'invalid_request', 'The request has no client_id.');
  if (clientIds.length > 1) return errorPage(400, 'invalid_request', 'Parameter "client_id" is repeated.');
  const clientId = clientIds[0]!;
  const client = clientId.length <= MAX_CLIENT_ID ? await a.ctx.store.getClient(clientId) : null;
  if (!client || client.revokedAt !== null) return errorPage(400, 'invalid_client', 'The application is unknown.');
  const redirectUris = raw.get('redirect_uri');
  if (!redirectUris) return errorPage(400, 'invalid_request', 'The request has no redirect_uri.');
  if (redirectUris.length > 1) return errorPage(400, 'invalid_request', 'Parameter "redirect_uri" is repeated.');
  const redirectUri = redirectUris[0]!;
  // Exact string comparison, nothing normalised: RFC 9700 section 4.1.3.
  if (!client.redirectUris.includes(redirectUri) || redirectUri.includes('#')) {
    return errorPage(400, 'invalid_request', 'The redirect_uri is not registered for this application.');
  }

  const one = (name: string) => raw.get(name)?.[0];
  const modeParam = one('response_mode');
  const stateParam = one('state');
  const target: ResponseTarget = {
    redirectUri,
    responseMode: modeParam === 'form_post' ? 'form_post' : 'query',
    state: stateParam !== undefined && stateParam.length <= MAX_STATE && raw.get('state')!.length === 1 ? stateParam : null,
  };
  const fail = (error: string, description: string) => authorizationError(a.ctx.issuer, target, error, description);

  for (const [name, values] of raw) {
    if (values.length > 1) {
      return fail('invalid_request', /^[a-z_]{1,40}$/.test(name) ? `Parameter "${name}" is repeated` : 'A parameter is repeated');
    }
  }
  if (stateParam !== undefined && stateParam.length > MAX_STATE) return fail('invalid_request', 'state is too long');
  const responseType = one('response_type');
  if (responseType === undefined) return fail('invalid_request', 'Parameter "response_type" is required');
  if (responseType !== 'code') return fail('unsupported_response_type', 'Only response_type=code is supported');
  if (modeParam !== undefined && modeParam !== 'query' && modeParam !== 'form_post') {
    return fail('invalid_request', 'response_mode must be query or form_post');
  }
  if (!client.grantTypes.includes('authorization_code')) {
    return fail('unauthorized_client', 'The client may not use the authorization code grant');
  }
  let scopes: string[];
  try {
    scopes = grantScopes(parseScope(one('scope')), client.scopes);
  } catch (err) {
    if (err instanceof OAuthError) return fail(err.error, err.error_description ?? 'Invalid scope');
    throw err;
  }
  const challenge = one('code_challenge');
  const method = one('code_challenge_method');
  if (challenge === undefined && method !== undefined) return fail('invalid_request', 'code_challenge_method without code_challenge');
  if (challenge !== undefined) {
    // An absent method means `plain` (RFC 7636 4.3), which is refused like an explicit one.
    if (method !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256');
    if (!CHALLENGE_RE.test(challenge)) return fail('invalid_request', 'code_challenge must be 43 base64url characters');
  } else if (client.type === 'public' || a.options.requirePkce === 'all') {
    return fail('invalid_request', 'PKCE (code_challenge with S256) is required');
  }
  const prompts = (one('prompt') ?? '').split(' ');

  const setCookies: string[] = [];
  let bid = browserId(request, a.ctx.issuer);
  if (bid === null) {
    const fresh = newBrowserId(a.ctx);
    bid = fresh.bid;
    setCookies.push(fresh.setCookie);
  }
  const pending: PendingAuthorization = {
    clientId: client.clientId,
    redirectUri,
    scopes,
    state: target.state,
    codeChallenge: challenge ?? null,
    responseMode: target.responseMode,
    promptNone: prompts.includes('none'),
    bid,
  };
  return proceed(a, request, client, pending, setCookies);
}

async function resume(a: AuthorizeContext, request: Request, tx: string[], raw: Map<string, string[]>): Promise<Response> {
  if (tx.length > 1 || [...raw.keys()].some((k) => k !== 'tx' && k !== 'deny')) {
    return errorPage(400, 'invalid_request', 'Unexpected parameters.');
  }
  const pending = openPending(a.ctx, tx[0]!, browserId(request, a.ctx.issuer));
  if (!pending) return expired();
  const client = await activeClient(a.ctx, pending.clientId, pending.redirectUri);
  if (!client) return errorPage(400, 'invalid_client', 'The application is unknown.');
  if (raw.has('deny')) return authorizationError(a.ctx.issuer, pending, 'access_denied', 'The user denied the request');
  return proceed(a, request, client, pending, []);
}

/** Login, then consent, then the code. */
async function proceed(
  a: AuthorizeContext,
  request: Request,
  client: ClientRecord,
  pending: PendingAuthorization,
  setCookies: string[],
): Promise<Response> {
  const { ctx, options } = a;
  const user = await currentUser(a, request);
  const redirect = (location: string) => {
    const res = new Response(null, { status: 303, headers: { location, 'cache-control': 'no-store' } });
    for (const c of setCookies) res.headers.append('set-cookie', c);
    return res;
  };
  if (!user) {
    if (pending.promptNone) return authorizationError(ctx.issuer, pending, 'login_required', 'The user is not signed in', setCookies);
    const returnTo = resumeUrl(a, sealPending(ctx, pending, options.interactionLifetimeMs));
    const loginUrl = options.interaction.loginUrl;
    return redirect(loginUrl ? loginUrl(returnTo, request) : `${a.paths.url('login')}?${new URL(returnTo).search.slice(1)}`);
  }
  const grant = { userId: user.userId, businessId: user.businessId ?? null, clientId: client.clientId, scopes: pending.scopes };
  const consented = options.interaction.hasConsent ? await options.interaction.hasConsent(grant) : false;
  if (!consented) {
    if (pending.promptNone) return authorizationError(ctx.issuer, pending, 'consent_required', 'The user has not consented', setCookies);
    const returnTo = resumeUrl(a, sealPending(ctx, pending, options.interactionLifetimeMs));
    const consentUrl = options.interaction.consentUrl;
    return redirect(consentUrl ? consentUrl(returnTo, request) : `${a.paths.url('consent')}?${new URL(returnTo).search.slice(1)}`);
  }
  const code = await issueAuthorizationCode(ctx, pending, user);
  return authorizationResponse(ctx.issuer, pending, { code }, setCookies);
}
