/**
 * The OAuth 2.0 authorization server as one Web `Request -> Response` handler: authorization, token,
 * revocation, introspection, metadata and JWKS endpoints, plus the built-in login and consent pages.
 *
 * @module
 */
import { ConfigError, OAuthError } from '../../errors.js';
import type { SessionCookies } from '../cookies/session-cookies.js';
import type { ServerContext } from '../context.js';
import type { Principal } from '../principal.js';
import type { ClientRecord } from '../store.js';
import { verifyAccessToken } from './access-token-verifier.js';
import { activeClient, authorizeEndpoint, resumeUrl, type AuthorizeContext } from './authorize-endpoint.js';
import {
  type BackChannelRequest,
  backChannelInput,
  type PlainResponse,
  plainError,
  plainJson,
  toWebResponse,
} from './back-channel.js';
import { createClientAuthenticator } from './client-authentication.js';
import { createEndpointPaths, type RouteName } from './endpoint-paths.js';
import type { GrantContext } from './grant-context.js';
import { consentPage, loginPage } from './interaction-pages.js';
import { introspectionEndpoint } from './introspection-endpoint.js';
import { jsonResponse } from './json-response.js';
import { browserId, openPending } from './interaction.js';
import { createJwtAccessTokenCodec } from './jwt-access-token.js';
import { buildMetadata } from './metadata.js';
import { resolveOAuthOptions, type OAuthServerOptions } from './oauth-options.js';
import { type FormInput, type PreParsedBody, webFormInput } from './request-params.js';
import { revocationEndpoint } from './revocation-endpoint.js';
import { createTokenIssuer } from './token-issuer.js';
import { enabledGrantTypes, tokenEndpoint } from './token-endpoint.js';

export type { OAuthServerOptions } from './oauth-options.js';
export type { BackChannelRequest, PlainResponse } from './back-channel.js';

/** Options of {@link OAuthServer.handle}. */
export interface HandleOptions {
  /**
   * The form body, when the host framework already parsed it (Express `req.body`, Fastify
   * `request.body`). Without it the handler reads `request.body` itself.
   */
  body?: PreParsedBody;
}

/** The authorization server. */
export interface OAuthServer {
  /**
   * Serve a request addressed to one of the endpoints (see {@link OAuthServer.matches}); anything else is
   * a 404 JSON `{"error":"not_found"}`. Never throws: failures become RFC 6749 error responses.
   */
  handle(request: Request, options?: HandleOptions): Promise<Response>;
  /**
   * Serve the token, revocation and introspection endpoints from plain request parts, with no Web
   * `Request` or `Response` built: what Node adapters use on these hot paths. Answers exactly as
   * {@link OAuthServer.handle} does, and never throws. Resolves to null when `pathname` is not one of
   * those three endpoints (hand the request to `handle` then).
   *
   * @example
   * ```ts
   * // a bare Node server
   * const answer = await auth.oauth.serveBackChannel({
   *   method: req.method!, pathname: new URL(req.url!, 'http://x').pathname,
   *   headers: nodeHeaderAccessor(req), body: req, // the unread stream
   * });
   * if (answer) res.writeHead(answer.status, answer.headers).end(answer.body ?? undefined);
   * ```
   */
  serveBackChannel(request: BackChannelRequest): Promise<PlainResponse | null>;
  /** Whether `pathname` addresses one of the endpoints, so adapters can mount the handler and fall through. */
  matches(pathname: string): boolean;
  /**
   * Every pathname the server answers as the issuer advertises it (base path included, plus the RFC 8414
   * metadata location for issuers with a path), for adapters whose framework registers routes by path
   * (Fastify, Nest). Each one `matches`.
   */
  readonly paths: readonly string[];
  /**
   * The principal of a valid access token issued here (`method: 'access_token'`, `credentialId` = token
   * family), or null for anything else: malformed, unknown, expired, revoked, or a refresh token.
   */
  verifyAccessToken(token: string): Promise<Principal | null>;
  /** The RFC 8414 metadata document. */
  metadata(): Record<string, unknown>;
  /**
   * What a host's own login or consent page needs to know about the request waiting on it: the client,
   * the scopes it asks for and where to send the browser next. `returnTo` is the URL the host's
   * `loginUrl` / `consentUrl` received; `request` is the browser's request (its cookies bind the pending
   * request to that browser). Null when `returnTo` is not this server's resume URL, or the pending request
   * is tampered, expired, from another browser, or its client was revoked. The returned `returnTo` is
   * rebuilt from the issuer, so redirecting to it is never an open redirect.
   *
   * @example
   * ```ts
   * const pending = await auth.oauth.pendingAuthorization(webRequest, req.query.next);
   * if (!pending) return res.status(400).send('This sign-in request has expired.');
   * // show pending.client.name and pending.scopes; on approval:
   * await consents.save({ userId, businessId, clientId: pending.client.clientId, scopes: pending.scopes });
   * res.redirect(303, pending.returnTo);
   * ```
   */
  pendingAuthorization(request: Request, returnTo: string): Promise<PendingAuthorizationInfo | null>;
  /** Leave the invalidation bus (the client-authentication cache listens on it). `AuthServer.close` calls it. */
  close(): void;
}

/** A pending authorization request, as {@link OAuthServer.pendingAuthorization} shows it to the host. */
export interface PendingAuthorizationInfo {
  client: ClientRecord;
  scopes: string[];
  redirectUri: string;
  /** The authorization endpoint URL that resumes the request (append `&deny=1` to refuse consent). */
  returnTo: string;
}

/** Dependencies of {@link createOAuthServer}. */
export interface OAuthServerDeps {
  /** Session cookies: the default way to know who is signed in, and what the built-in login page issues. */
  sessions: SessionCookies;
}

/** The back-channel endpoints: POST only, form in, JSON out, served by {@link backChannel}. */
type BackChannelRoute = 'token' | 'revoke' | 'introspect';
const BACK_CHANNEL = new Set<RouteName>(['token', 'revoke', 'introspect']);
const isBackChannel = (name: RouteName | null): name is BackChannelRoute => name !== null && BACK_CHANNEL.has(name);

/**
 * Create the authorization server. Options are validated at once (throws `ConfigError`).
 *
 * @example
 * ```ts
 * const ctx = createServerContext({ issuer: 'https://api.example.com', store, secrets, accounts });
 * const oauth = createOAuthServer(ctx, { grants: { password: false } }, { sessions: createSessionCookies(ctx) });
 * // in any Web-standard server:
 * export default { fetch: (req: Request) => oauth.handle(req) };
 * ```
 */
export function createOAuthServer(ctx: ServerContext, options: OAuthServerOptions | undefined, deps: OAuthServerDeps): OAuthServer {
  const resolved = resolveOAuthOptions(ctx.issuer, options);
  if (resolved.passwordGrant && !ctx.accounts.authenticate) {
    throw new ConfigError('The password grant needs accounts.authenticate');
  }
  const jwt = resolved.accessTokens.format === 'jwt' ? createJwtAccessTokenCodec(ctx.issuer, resolved.accessTokens) : null;
  const routes: RouteName[] = ['authorize', 'token', 'revoke', 'introspect', 'metadata'];
  if (jwt) routes.push('jwks');
  if (!resolved.interaction.loginUrl) routes.push('login');
  if (!resolved.interaction.consentUrl) routes.push('consent');
  const paths = createEndpointPaths(ctx.issuer, resolved, routes);
  const clients = createClientAuthenticator(ctx, resolved.clientCache);
  const grants: GrantContext = { ctx, options: resolved, tokens: createTokenIssuer(ctx, jwt), clients };
  const authorize: AuthorizeContext = { ctx, options: resolved, paths, sessions: deps.sessions };
  const metadata = buildMetadata(ctx.issuer, resolved, paths, enabledGrantTypes(grants), jwt?.algorithms ?? null);

  /** A back-channel endpoint, errors included: never throws. */
  async function backChannel(name: BackChannelRoute, method: string, input: FormInput): Promise<PlainResponse> {
    try {
      if (method !== 'POST') throw new OAuthError('invalid_request', 'Use POST', { status: 405, headers: { allow: 'POST' } });
      switch (name) {
        case 'token':
          return await tokenEndpoint(grants, input);
        case 'revoke':
          return await revocationEndpoint(grants, jwt, input);
        case 'introspect':
          return await introspectionEndpoint(grants, jwt, input);
      }
    } catch (err) {
      return failure(name, err);
    }
  }

  function failure(name: RouteName, err: unknown): PlainResponse {
    if (!(err instanceof OAuthError)) {
      // Never a stack trace or secret in the response or the log: the error's class is enough to start.
      ctx.logger.error('oauth: unexpected failure', { endpoint: name, error: err instanceof Error ? err.name : typeof err });
    }
    return plainError(err);
  }

  async function route(name: Exclude<RouteName, BackChannelRoute>, request: Request, body: PreParsedBody | undefined): Promise<Response> {
    switch (name) {
      case 'authorize':
        return authorizeEndpoint(authorize, request, body);
      case 'login':
        return loginPage(authorize, request, body);
      case 'consent':
        return consentPage(authorize, request, body);
      case 'metadata':
      case 'jwks':
        if (request.method !== 'GET' && request.method !== 'HEAD') {
          throw new OAuthError('invalid_request', 'Use GET', { status: 405, headers: { allow: 'GET, HEAD' } });
        }
        return new Response(request.method === 'HEAD' ? null : JSON.stringify(name === 'jwks' ? jwt!.jwks : metadata), {
          status: 200,
          headers: {
            'content-type': name === 'jwks' ? 'application/jwk-set+json' : 'application/json; charset=utf-8',
            'cache-control': 'public, max-age=300',
            'access-control-allow-origin': '*',
          },
        });
    }
  }

  return {
    async handle(request, handleOptions) {
      let pathname: string;
      try {
        pathname = new URL(request.url).pathname;
      } catch {
        return jsonResponse({ error: 'invalid_request', error_description: 'Invalid request URL' }, 400);
      }
      const name = paths.match(pathname);
      if (!name) return jsonResponse({ error: 'not_found', error_description: 'No such endpoint' }, 404);
      if (isBackChannel(name)) {
        return toWebResponse(await backChannel(name, request.method, webFormInput(request, handleOptions?.body)));
      }
      try {
        return await route(name, request, handleOptions?.body);
      } catch (err) {
        return toWebResponse(failure(name, err));
      }
    },
    async serveBackChannel(request) {
      const name = typeof request?.pathname === 'string' ? paths.match(request.pathname) : null;
      if (!isBackChannel(name)) return null;
      if (typeof request.headers !== 'function') {
        return plainJson({ error: 'invalid_request', error_description: 'The request could not be read' }, 400);
      }
      return backChannel(name, request.method, backChannelInput(request.headers, request.body));
    },
    matches(pathname) {
      return paths.match(pathname) !== null;
    },
    paths: paths.served,
    verifyAccessToken(token) {
      return verifyAccessToken(ctx, jwt, token);
    },
    metadata() {
      return structuredClone(metadata);
    },
    async pendingAuthorization(request, returnTo) {
      let url: URL;
      try {
        url = new URL(returnTo);
      } catch {
        return null;
      }
      const tx = url.searchParams.getAll('tx');
      if (url.origin + url.pathname !== paths.url('authorize') || tx.length !== 1 || [...url.searchParams.keys()].length !== 1) {
        return null;
      }
      const pending = openPending(ctx, tx[0]!, browserId(request, ctx.issuer));
      if (!pending) return null;
      const client = await activeClient(ctx, pending.clientId, pending.redirectUri);
      if (!client) return null;
      return { client, scopes: [...pending.scopes], redirectUri: pending.redirectUri, returnTo: resumeUrl(authorize, tx[0]!) };
    },
    close() {
      clients.close();
    },
  };
}
