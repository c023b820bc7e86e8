/**
 * Options of `createManagementHandler`, validated at construction.
 *
 * @module
 */
import { ConfigError } from '../../errors.js';
import type { AuthMethod } from '../principal.js';

/** The four kinds of credential a user manages. */
export type ManagementArea = 'api-keys' | 'personal-tokens' | 'secrets' | 'apps';

/** Options of `createManagementHandler`. */
export interface ManagementOptions {
  /** Where the routes are mounted. Default `/account` (`/account/api-keys`, `/account/apps`...). */
  basePath?: string;
  /** Which areas are served. Each defaults to true; a disabled area answers 404. */
  allow?: { apiKeys?: boolean; personalTokens?: boolean; secrets?: boolean; clients?: boolean };
  /**
   * How a caller may be authenticated to manage credentials. Default `['cookie', 'personal_token']`:
   * the signed-in user in the browser, or a personal token holding {@link ManagementOptions.manageScope}.
   * API keys, `Secret`s and OAuth access tokens are refused unless listed here (a third-party app or a
   * leaked integration key must not mint credentials).
   */
  methods?: readonly AuthMethod[];
  /** Scope every non-cookie principal needs. Default `credentials:manage`. */
  manageScope?: string;
  /**
   * `principal` (default): a new credential's scopes must be a subset of the caller's own scopes, so no
   * one can mint a credential stronger than themselves. `none`: any scopes (verification still
   * intersects API keys with the user's current permissions).
   */
  scopeCeiling?: 'principal' | 'none';
}

/** Options after validation. */
export interface ResolvedManagementOptions {
  basePath: string;
  areas: ReadonlySet<ManagementArea>;
  methods: ReadonlySet<AuthMethod>;
  manageScope: string;
  scopeCeiling: boolean;
}

const PATH_RE = /^(\/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)+$/;
const METHODS: readonly AuthMethod[] = ['api_key', 'legacy_api_key', 'personal_token', 'access_token', 'secret', 'cookie'];

/** Validate {@link ManagementOptions}. Throws `ConfigError`. */
export function resolveManagementOptions(options: ManagementOptions = {}): ResolvedManagementOptions {
  const basePath = options.basePath ?? '/account';
  if (basePath !== '/' && !PATH_RE.test(basePath)) {
    throw new ConfigError('createManagementHandler: `basePath` must be a path such as "/account" (no trailing slash)');
  }
  const allow = options.allow ?? {};
  const areas = new Set<ManagementArea>();
  if (allow.apiKeys !== false) areas.add('api-keys');
  if (allow.personalTokens !== false) areas.add('personal-tokens');
  if (allow.secrets !== false) areas.add('secrets');
  if (allow.clients !== false) areas.add('apps');
  const methods = options.methods ?? ['cookie', 'personal_token'];
  if (!Array.isArray(methods) || methods.some((m) => !METHODS.includes(m))) {
    throw new ConfigError(`createManagementHandler: \`methods\` may hold only ${METHODS.join(', ')}`);
  }
  const manageScope = options.manageScope ?? 'credentials:manage';
  if (typeof manageScope !== 'string' || !/^[\x21\x23-\x5b\x5d-\x7e]{1,128}$/.test(manageScope)) {
    throw new ConfigError('createManagementHandler: `manageScope` must be a scope token');
  }
  const ceiling = options.scopeCeiling ?? 'principal';
  if (ceiling !== 'principal' && ceiling !== 'none') {
    throw new ConfigError('createManagementHandler: `scopeCeiling` must be "principal" or "none"');
  }
  return {
    basePath: basePath === '/' ? '' : basePath,
    areas,
    methods: new Set(methods),
    manageScope,
    scopeCeiling: ceiling === 'principal',
  };
}
