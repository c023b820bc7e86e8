import { ConfigError, OAuthError, ReauthenticationRequiredError } from '../errors.js';
import { applyClientAuthentication, type ClientAuthentication } from './client-authentication.js';
import type { ResolvedHttpOptions } from './http-options.js';
import { sendOAuthRequest } from './oauth-http.js';
import type { ServerEndpoints } from './server-endpoints.js';
import { parseTokenResponse, type TokenSet } from './token-set.js';

/** The token and revocation requests every grant makes, with client authentication applied. */
export interface TokenEndpointClient {
  /** POST to the token endpoint and parse the token set. */
  requestTokens(params: Record<string, string>, options: { idempotent: boolean; secrets?: string[] }): Promise<TokenSet>;
  /** `grant_type=refresh_token`; `invalid_grant` becomes {@link ReauthenticationRequiredError}. */
  refresh(refreshToken: string, scope?: string): Promise<TokenSet>;
  /** RFC 7009 revocation. */
  revoke(token: string, hint: 'access_token' | 'refresh_token'): Promise<void>;
  endpoints(): Promise<ServerEndpoints>;
}

/** Build a {@link TokenEndpointClient}. `secrets` are scrubbed from every error text. */
export function createTokenEndpointClient(config: {
  endpoints: () => Promise<ServerEndpoints>;
  auth: ClientAuthentication;
  http: ResolvedHttpOptions;
  secrets: readonly string[];
}): TokenEndpointClient {
  const { auth, http } = config;
  const baseSecrets = config.secrets.filter(Boolean);

  async function post(url: string, params: Record<string, string>, idempotent: boolean, secrets: string[], what: string) {
    const headers: Record<string, string> = {};
    const body = new URLSearchParams(params);
    applyClientAuthentication(auth, headers, body);
    return sendOAuthRequest({ url, method: 'POST', headers, body, idempotent, secrets: [...baseSecrets, ...secrets], what }, http);
  }

  async function requestTokens(params: Record<string, string>, options: { idempotent: boolean; secrets?: string[] }) {
    const { tokenEndpoint } = await config.endpoints();
    const res = await post(tokenEndpoint, params, options.idempotent, options.secrets ?? [], 'token request');
    return parseTokenResponse(res.body, http.now(), res.status);
  }

  return {
    requestTokens,
    endpoints: config.endpoints,
    async refresh(refreshToken, scope) {
      const params: Record<string, string> = { grant_type: 'refresh_token', refresh_token: refreshToken };
      if (scope) params.scope = scope;
      try {
        const set = await requestTokens(params, { idempotent: false, secrets: [refreshToken] });
        if (!set.refreshToken) set.refreshToken = refreshToken;
        return set;
      } catch (err) {
        if (err instanceof OAuthError && err.error === 'invalid_grant') {
          throw new ReauthenticationRequiredError('invalid_grant', err.error_description ?? 'The refresh token is no longer valid', {
            status: err.status,
            cause: err,
          });
        }
        throw err;
      }
    },
    async revoke(token, hint) {
      const { revocationEndpoint } = await config.endpoints();
      if (!revocationEndpoint) throw new ConfigError('The authorization server has no revocation endpoint');
      await post(revocationEndpoint, { token, token_type_hint: hint }, true, [token], 'revocation request');
    },
  };
}
