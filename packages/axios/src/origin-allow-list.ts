import { ConfigError } from '@auth/core';

/** The page URL in a browser, against which relative URLs resolve; `undefined` in Node. */
function documentBase(): string | undefined {
  const location = (globalThis as { location?: { href?: unknown } }).location;
  return typeof location?.href === 'string' ? location.href : undefined;
}

/** Resolve `url` (absolute, or relative to the page in a browser) or return `undefined`. */
export function resolveUrl(url: string): URL | undefined {
  try {
    return new URL(url, documentBase());
  } catch {
    return undefined;
  }
}

/**
 * The origins that may receive the credential: the `origins` option when given, otherwise the origin of
 * the instance's `baseURL`. Decided once, at `attach`, so a later or per-request `baseURL` cannot widen it.
 */
export function allowedOrigins(origins: readonly string[] | undefined, baseURL: string | undefined): Set<string> {
  if (origins !== undefined) {
    if (!Array.isArray(origins) || origins.length === 0) {
      throw new ConfigError('attach: origins must be a non-empty array of origins such as "https://api.example.com"');
    }
    return new Set(origins.map((origin) => parseOrigin(origin, 'attach: origins')));
  }
  if (typeof baseURL !== 'string' || baseURL === '') {
    throw new ConfigError(
      'attach: the axios instance has no baseURL; pass origins (e.g. ["https://api.example.com"]) so the credential is only sent where it belongs',
    );
  }
  return new Set([parseOrigin(baseURL, 'attach: the instance baseURL')]);
}

function parseOrigin(value: unknown, what: string): string {
  const url = typeof value === 'string' ? resolveUrl(value) : undefined;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new ConfigError(`${what} must be absolute http(s) URLs`);
  }
  return url.origin;
}
