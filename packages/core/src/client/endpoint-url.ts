import { ConfigError } from '../errors.js';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Validate an authorization server URL: absolute, `https:` (plain `http:` only on loopback, for tests
 * and local development), no fragment. Client secrets and tokens must never travel in clear text.
 */
export function assertEndpointUrl(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new ConfigError(`${what} must be a URL string`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${what} is not a valid absolute URL`);
  }
  if (url.hash) throw new ConfigError(`${what} must not contain a fragment`);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new ConfigError(`${what} must use https (http is allowed only on loopback)`);
  }
  return value;
}
