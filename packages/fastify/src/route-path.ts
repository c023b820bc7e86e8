import { ConfigError } from '@auth/core';

/**
 * A path from the core as a literal Fastify route path. find-my-way reads `:name` as a parameter and
 * `*` as a wildcard, so a colon is escaped (`::`) and the characters that cannot be literal are refused
 * at registration.
 */
export function literalRoutePath(path: string, what: string): string {
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new ConfigError(`@auth/fastify: ${what} path must start with "/"`);
  }
  if (/[*()%?#\s]/.test(path)) {
    throw new ConfigError(`@auth/fastify: ${what} path "${path}" cannot be a literal Fastify route (no * ( ) % ? # or spaces)`);
  }
  return path.replaceAll(':', '::');
}
