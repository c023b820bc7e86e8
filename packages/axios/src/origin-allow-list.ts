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

/** The fields of a request config (after axios merged the defaults in) that decide where it goes. */
export interface RequestTarget {
  baseURL?: unknown;
  url?: unknown;
  allowAbsoluteUrls?: unknown;
}

/** What axios treats as absolute (and so sends as is, ignoring `baseURL`): `scheme://...` and `//...`. */
const ABSOLUTE_URL = /^([a-z][a-z\d+\-.]*:)?\/\//i;
/** Distinct `baseURL`s remembered per instance; past this the memo starts over (it is only a shortcut). */
const REMEMBERED_BASES = 32;

/**
 * A function from a merged request config to the origin axios will send the request to, or `undefined`
 * when that cannot be decided (the caller then attaches nothing: fail closed).
 *
 * It follows axios's own rule for the full URL (`baseURL` joined with a relative `url`, or with any
 * `url` when `allowAbsoluteUrls` is `false`; otherwise `url` alone) without asking axios: `getUri`
 * merges the whole instance defaults again, which cost more than the rest of the interceptor.
 * Joining a relative path to an absolute http(s) `baseURL` cannot move the request off that base's
 * origin (the join always puts a `/` after the base, which ends its authority), so the common request
 * costs one map lookup; a relative `baseURL` (a browser page) and absolute URLs are parsed each time.
 */
export function requestOriginResolver(): (config: RequestTarget) => string | undefined {
  const baseOrigins = new Map<string, string | null>();

  function originOfAbsoluteBase(baseURL: string): string | null {
    let origin = baseOrigins.get(baseURL);
    if (origin === undefined) {
      origin = absoluteHttpOrigin(baseURL);
      if (baseOrigins.size >= REMEMBERED_BASES) baseOrigins.clear();
      baseOrigins.set(baseURL, origin);
    }
    return origin;
  }

  return function requestOrigin(config) {
    // Own properties only, as axios reads them: a polluted Object.prototype must not steer the decision.
    const baseURL = own(config, 'baseURL');
    const url = own(config, 'url');
    const joined =
      Boolean(baseURL) &&
      (typeof url !== 'string' || !ABSOLUTE_URL.test(url) || own(config, 'allowAbsoluteUrls') === false);
    if (joined) {
      // axios can only join strings; anything else makes it throw, so nothing is sent.
      if (typeof baseURL !== 'string' || (url && typeof url !== 'string')) return undefined;
      const path = url as string | undefined;
      return originOfAbsoluteBase(baseURL) ?? resolveUrl(joinUrl(baseURL, path))?.origin;
    }
    return typeof url === 'string' && url !== '' ? resolveUrl(url)?.origin : undefined;
  };
}

function own(config: RequestTarget, key: keyof RequestTarget): unknown {
  return Object.hasOwn(config, key) ? config[key] : undefined;
}

/** The origin of an absolute http(s) URL (never resolved against a page), or `null`. */
function absoluteHttpOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : null;
  } catch {
    return null;
  }
}

/** axios's join: the base without its trailing slashes, one `/`, the path without its leading ones. */
function joinUrl(baseURL: string, path: string | undefined): string {
  if (!path) return baseURL;
  let end = baseURL.length;
  // A loop, not /\/+$/: that pattern backtracks quadratically on a long run of slashes.
  while (end > 0 && baseURL.charCodeAt(end - 1) === 0x2f) end--;
  let start = 0;
  while (start < path.length && path.charCodeAt(start) === 0x2f) start++;
  return `${baseURL.slice(0, end)}/${path.slice(start)}`;
}
