/** How a request was authenticated. */
export type AuthMethod =
  | 'api_key'
  | 'legacy_api_key'
  | 'personal_token'
  | 'access_token'
  | 'secret'
  | 'cookie';

/** Every {@link AuthMethod}, for validating options and decorator arguments. */
export const AUTH_METHODS: readonly AuthMethod[] = Object.freeze([
  'api_key',
  'legacy_api_key',
  'personal_token',
  'access_token',
  'secret',
  'cookie',
]);

/**
 * Who is calling, as established by `verify`. Adapters expose it on the request (`req.auth`).
 */
export interface Principal {
  method: AuthMethod;
  /** The user the request acts for, if any (null for client-credentials tokens and some secrets). */
  userId: string | null;
  /** The business (tenant) the request is scoped to, if any. */
  businessId: string | null;
  /** The OAuth client, for access tokens and client-bound secrets. */
  clientId: string | null;
  /** Effective scopes (for API keys: the user's current permissions intersected with the key's group). */
  scopes: readonly string[];
  /** Id of the credential (API key, token, secret) or token family, or session id for cookies. */
  credentialId: string | null;
  /** When the credential stops being valid (epoch ms), if known. */
  expiresAt: number | null;
}

/** Whether a principal holds every one of `required` scopes. */
export function hasScopes(principal: Pick<Principal, 'scopes'>, required: readonly string[]): boolean {
  if (!required.length) return true;
  const held = new Set(principal.scopes);
  return required.every((s) => held.has(s));
}
