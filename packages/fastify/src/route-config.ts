import { type AuthMethod, ConfigError } from '@auth/core';

/**
 * What a route asks of the caller, in its `config.auth`:
 * - `false`: public, nobody is authenticated;
 * - `true` or absent: any enabled method, no scope required;
 * - `{ scopes, allow }`: every scope in `scopes` required; only the methods in `allow` accepted.
 *
 * @example
 * ```ts
 * app.post('/items', { config: { auth: { scopes: ['write'] } } }, handler);
 * app.get('/health', { config: { auth: false } }, handler);
 * ```
 */
export type RouteAuthConfig = boolean | RouteAuthRequirements;

/** The requirements of a protected route. */
export interface RouteAuthRequirements {
  /** Scopes the caller must hold, all of them (else 403 `insufficient_scope`). */
  scopes?: readonly string[];
  /** Methods this route accepts, e.g. `['secret']`. Default: the verifier's default set. */
  allow?: readonly AuthMethod[];
}

const METHODS: ReadonlySet<string> = new Set<AuthMethod>(['api_key', 'legacy_api_key', 'personal_token', 'access_token', 'secret', 'cookie']);

function isStringList(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string' && v.length > 0);
}

/**
 * Check a route's `config.auth` when the route is registered, so a typo fails at startup instead of
 * silently leaving a route open or closed. Throws `ConfigError`.
 */
export function assertRouteAuthConfig(value: unknown, route: string): asserts value is RouteAuthConfig | undefined {
  if (value === undefined || typeof value === 'boolean') return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`@auth/fastify: config.auth of ${route} must be false, true or { scopes?, allow? }`);
  }
  for (const key of Object.keys(value)) {
    if (key !== 'scopes' && key !== 'allow') {
      throw new ConfigError(`@auth/fastify: config.auth of ${route} has an unknown key "${key}" (expected scopes, allow)`);
    }
  }
  const { scopes, allow } = value as RouteAuthRequirements;
  if (scopes !== undefined && !isStringList(scopes)) {
    throw new ConfigError(`@auth/fastify: config.auth.scopes of ${route} must be a list of scope names`);
  }
  if (allow !== undefined && (!isStringList(allow) || allow.length === 0 || !allow.every((m) => METHODS.has(m)))) {
    throw new ConfigError(`@auth/fastify: config.auth.allow of ${route} must list methods among ${[...METHODS].join(', ')}`);
  }
}
