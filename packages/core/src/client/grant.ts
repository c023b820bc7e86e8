import type { TokenSet } from './token-set.js';

/** Grant types a {@link Grant} can be. */
export type TokenGrantType = 'client_credentials' | 'password' | 'authorization_code';

/**
 * An OAuth 2.0 grant: how to obtain, refresh and revoke tokens for one client configuration.
 * The token manager wraps a grant with caching, single-flight renewal and rotation handling.
 */
export interface Grant {
  readonly grantType: TokenGrantType;
  /**
   * Stable identity of what this grant yields tokens for (grant type, token endpoint or issuer, client
   * id, and whatever else changes the tokens: scope, username). Store keys are derived from it. It
   * contains no secrets.
   */
  readonly identity: string;
  /**
   * Obtain a new token set without user interaction. Grants that need the user (authorization code)
   * throw {@link ReauthenticationRequiredError}.
   */
  requestToken(): Promise<TokenSet>;
  /**
   * Redeem a refresh token. A response without a new refresh token keeps the old one (RFC 6749
   * section 6). `invalid_grant` becomes {@link ReauthenticationRequiredError}.
   */
  refresh(refreshToken: string): Promise<TokenSet>;
  /** Revoke a token at the RFC 7009 endpoint. Throws {@link ConfigError} if the server has none. */
  revokeToken(token: string, hint: 'access_token' | 'refresh_token'): Promise<void>;
}

/** A scope as a space-separated string or a list. */
export type ScopeOption = string | readonly string[];

/** Normalise a {@link ScopeOption} to the space-separated wire form (`undefined` when empty). */
export function scopeString(scope: ScopeOption | undefined): string | undefined {
  if (scope === undefined) return undefined;
  const value = typeof scope === 'string' ? scope.trim() : scope.join(' ');
  return value === '' ? undefined : value;
}
