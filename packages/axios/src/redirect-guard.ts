import type { AppliedCredential } from '@auth/core';
import type { AxiosRequestConfig } from 'axios';

type BeforeRedirect = NonNullable<AxiosRequestConfig['beforeRedirect']>;

/** What follow-redirects hands `beforeRedirect`: the options of the next hop, mutable in place. */
interface RedirectOptions {
  href?: string;
  path?: string;
  search?: string;
  headers?: Record<string, unknown>;
}

// Our wrapper -> the hook it wraps, so a retried config is re-guarded without stacking wrappers.
const wrapped = new WeakMap<BeforeRedirect, BeforeRedirect | undefined>();

/**
 * A `beforeRedirect` (Node http adapter, through follow-redirects) that keeps the credential on the
 * origin it was issued for: on a hop to another origin every header and query parameter the source
 * applied is removed (follow-redirects only drops `Authorization` and `Cookie`, and only across
 * hosts, so `X-API-KEY` / `X-BUSINESS-ID` / `X-USER-ID` would leak: GHSA-r4q5-vmmm-2653); on a hop back
 * to that origin they are set again. A user-supplied `beforeRedirect` runs first, then the guard, so
 * it has the last word.
 */
export function guardRedirects(
  userHook: BeforeRedirect | undefined,
  credential: AppliedCredential,
  origin: string,
): BeforeRedirect {
  const inner = userHook && wrapped.has(userHook) ? wrapped.get(userHook) : userHook;
  const guard: BeforeRedirect = function keepCredentialOnOrigin(options, responseDetails, requestDetails) {
    inner?.(options, responseDetails, requestDetails);
    const hop = options as RedirectOptions;
    let target: URL | undefined;
    try {
      target = new URL(String(hop.href));
    } catch {
      target = undefined;
    }
    const sameOrigin = target?.origin === origin;
    hop.headers ??= {};
    for (const [name, value] of Object.entries(credential.headers)) {
      for (const key of Object.keys(hop.headers)) {
        if (key.toLowerCase() !== name.toLowerCase()) continue;
        // Only our value: a header the user's hook set for the new origin is theirs to send.
        if (sameOrigin || String(hop.headers[key]) === value) delete hop.headers[key];
      }
      if (sameOrigin) hop.headers[name] = value;
    }
    if (target) rewriteQuery(hop, target, credential.query, sameOrigin);
  };
  wrapped.set(guard, inner);
  return guard;
}

function rewriteQuery(hop: RedirectOptions, target: URL, query: Readonly<Record<string, string>>, sameOrigin: boolean) {
  const entries = Object.entries(query);
  if (entries.length === 0) return;
  for (const [name, value] of entries) {
    if (sameOrigin) target.searchParams.set(name, value);
    else if (target.searchParams.get(name) === value) target.searchParams.delete(name);
  }
  hop.href = target.href;
  hop.search = target.search;
  // Through a proxy the request target is the absolute URL; otherwise it is path and query.
  hop.path = hop.path?.startsWith('/') === false ? target.href : target.pathname + target.search;
}
