import { generateCodeVerifier, s256CodeChallenge } from '../crypto/pkce.js';
import { randomBase64url } from '../crypto/random.js';
import { ConfigError, ReauthenticationRequiredError } from '../errors.js';
import { toMs, type Duration } from '../util/duration.js';
import {
  type AuthorizationTransaction,
  type CallbackInput,
  readCallbackParams,
  validateCallbackParams,
} from './authorization-callback.js';
import type { Grant, ScopeOption } from './grant.js';
import { scopeString } from './grant.js';
import { assertNonEmpty } from './header-value.js';
import { type HttpOptions, resolveHttpOptions } from './http-options.js';
import { endpointResolver } from './server-endpoints.js';
import { createTokenEndpointClient } from './token-endpoint-client.js';
import type { TokenSet } from './token-set.js';
import { assertEndpointUrl } from './endpoint-url.js';

/** Where the authorization server is: discovered from `issuer`, or explicit endpoints. */
export type AuthorizationServerOptions =
  | {
      issuer: string;
      authorizationEndpoint?: never;
      tokenEndpoint?: never;
      revocationEndpoint?: never;
      authorizationResponseIssParameterSupported?: never;
    }
  | {
      authorizationEndpoint: string;
      tokenEndpoint: string;
      revocationEndpoint?: string;
      /** Expected `iss` in callbacks (RFC 9207). */
      issuer?: string;
      /** Require `iss` in every callback. */
      authorizationResponseIssParameterSupported?: boolean;
    };

/** Confidential clients authenticate with a secret; public clients (`none`) rely on PKCE alone. */
export type AuthorizationCodeClientAuth =
  | { clientSecret: string; clientAuth?: 'client_secret_basic' | 'client_secret_post' }
  | { clientSecret?: undefined; clientAuth?: 'none' };

/** Options for {@link authorizationCode}. */
export type AuthorizationCodeOptions = AuthorizationServerOptions &
  AuthorizationCodeClientAuth &
  HttpOptions & {
    clientId: string;
    redirectUri: string;
    scope?: ScopeOption;
    /** How the server returns the code. Default `query`. */
    responseMode?: 'query' | 'form_post';
    /** How long a transaction stays valid. Default 10 minutes. */
    transactionTtl?: Duration;
  };

/** Options for one authorization request. */
export interface AuthorizationRequestOptions {
  /** Overrides the grant's scope for this request. */
  scope?: ScopeOption;
  /** Extra authorization request parameters (`prompt`, `login_hint`, `resource`...). */
  extraParams?: Record<string, string>;
}

/** An authorization request ready to send the user to. */
export interface AuthorizationRequest {
  url: URL;
  /** Keep it (sealed, server-side or in a cookie) until the callback. Contains the PKCE verifier. */
  transaction: AuthorizationTransaction;
}

/** The authorization code grant with PKCE S256. */
export interface AuthorizationCodeGrant extends Grant {
  readonly grantType: 'authorization_code';
  /** Build the authorization URL with a fresh `state` and PKCE verifier. */
  createAuthorizationRequest(options?: AuthorizationRequestOptions): Promise<AuthorizationRequest>;
  /**
   * Validate the callback (iss, state, error, code) and exchange the code. Save the result with
   * `tokens.set(subject, tokenSet)`.
   */
  handleCallback(input: CallbackInput, transaction: AuthorizationTransaction): Promise<TokenSet>;
}

const RESERVED = new Set(['response_type', 'client_id', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method', 'response_mode']);

/**
 * The authorization code grant (RFC 6749 section 4.1) with PKCE S256 always (RFC 7636; `plain` is never
 * used), for confidential clients (with a secret) and public ones.
 *
 * @example
 * ```ts
 * const grant = authorizationCode({ issuer: 'https://auth.example.com', clientId, clientSecret,
 *   redirectUri: 'https://app.example.com/callback', scope: 'read', responseMode: 'form_post' });
 * const { url, transaction } = await grant.createAuthorizationRequest();
 * // redirect to url, keep transaction; then on the callback:
 * await tokens.set(userId, await grant.handleCallback(request, transaction));
 * ```
 */
export function authorizationCode(options: AuthorizationCodeOptions): AuthorizationCodeGrant {
  assertNonEmpty(options.clientId, 'authorizationCode: clientId');
  assertEndpointUrl(options.redirectUri, 'authorizationCode: redirectUri');
  const method = options.clientAuth ?? (options.clientSecret === undefined ? 'none' : 'client_secret_basic');
  if (method === 'none' && options.clientSecret !== undefined) {
    throw new ConfigError('authorizationCode: clientAuth none cannot be used with a clientSecret');
  }
  if (method !== 'none') {
    if (method !== 'client_secret_basic' && method !== 'client_secret_post') {
      throw new ConfigError('authorizationCode: clientAuth must be client_secret_basic, client_secret_post or none');
    }
    assertNonEmpty(options.clientSecret, 'authorizationCode: clientSecret');
  }
  const responseMode = options.responseMode ?? 'query';
  if (responseMode !== 'query' && responseMode !== 'form_post') {
    throw new ConfigError('authorizationCode: responseMode must be query or form_post');
  }
  let ttlMs: number;
  try {
    ttlMs = toMs(options.transactionTtl ?? '10m');
  } catch (cause) {
    throw new ConfigError('authorizationCode: transactionTtl is not a valid duration', { cause });
  }
  const http = resolveHttpOptions(options);
  const endpoints = endpointResolver(
    {
      issuer: options.issuer,
      authorizationEndpoint: options.authorizationEndpoint,
      tokenEndpoint: options.tokenEndpoint,
      revocationEndpoint: options.revocationEndpoint,
      issParameterSupported: options.authorizationResponseIssParameterSupported,
    },
    options,
    true,
  );
  const scope = scopeString(options.scope);
  const client = createTokenEndpointClient({
    endpoints: endpoints.resolve,
    auth: { clientId: options.clientId, clientSecret: options.clientSecret, method },
    http,
    secrets: options.clientSecret ? [options.clientSecret] : [],
  });

  return {
    grantType: 'authorization_code',
    identity: JSON.stringify(['authorization_code', endpoints.identity, options.clientId, scope ?? '']),
    async requestToken() {
      throw new ReauthenticationRequiredError('login_required', 'No usable tokens: the user must authorize again', { status: 401 });
    },
    refresh: (refreshToken) => client.refresh(refreshToken),
    revokeToken: (token, hint) => client.revoke(token, hint),

    async createAuthorizationRequest(request = {}) {
      const server = await endpoints.resolve();
      const url = new URL(server.authorizationEndpoint!);
      const state = randomBase64url(32);
      const codeVerifier = generateCodeVerifier();
      for (const [name, value] of Object.entries(request.extraParams ?? {})) {
        if (RESERVED.has(name)) throw new ConfigError(`authorization request: ${name} is set by the library`);
        url.searchParams.set(name, value);
      }
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('client_id', options.clientId);
      url.searchParams.set('redirect_uri', options.redirectUri);
      const requestScope = request.scope === undefined ? scope : scopeString(request.scope);
      if (requestScope) url.searchParams.set('scope', requestScope);
      url.searchParams.set('state', state);
      url.searchParams.set('code_challenge', s256CodeChallenge(codeVerifier));
      url.searchParams.set('code_challenge_method', 'S256');
      if (responseMode !== 'query') url.searchParams.set('response_mode', responseMode);
      return {
        url,
        transaction: {
          state,
          codeVerifier,
          redirectUri: options.redirectUri,
          responseMode,
          issuer: server.issuer,
          requireIss: server.issParameterSupported,
          expiresAt: http.now() + ttlMs,
        },
      };
    },

    async handleCallback(input, transaction) {
      const params = await readCallbackParams(input, transaction.responseMode);
      const code = validateCallbackParams(params, transaction, http.now());
      return client.requestTokens(
        {
          grant_type: 'authorization_code',
          code,
          redirect_uri: transaction.redirectUri,
          code_verifier: transaction.codeVerifier,
        },
        // A code is single-use: never replay it after a request that may have reached the server.
        { idempotent: false, secrets: [code, transaction.codeVerifier] },
      );
    },
  };
}
