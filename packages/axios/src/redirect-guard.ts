import type { AppliedCredential } from '@auth/core';
import type { AxiosRequestConfig } from 'axios';

export type BeforeRedirect = NonNullable<AxiosRequestConfig['beforeRedirect']>;

/** What follow-redirects hands `beforeRedirect`: the options of the next hop, mutable in place. */
interface RedirectOptions {
  href?: string;
  path?: string;
  search?: string;
  headers?: Record<string, unknown>;
}

// On each guard: the user hook it wraps, so a config sent again is re-guarded without stacking
// wrappers. A property, not a WeakMap: an entry per request costs the garbage collector dearly.
const INNER = Symbol('@auth/axios:inner-before-redirect');

type Guard = BeforeRedirect & { [INNER]?: BeforeRedirect | undefined };

/** The user's own `beforeRedirect` inside `hook`, when `hook` is a guard (of any `attach`); else `hook`. */
export function userHookOf(hook: unknown): BeforeRedirect | undefined {
  if (typeof hook !== 'function') return undefined;
  return INNER in hook ? (hook as Guard)[INNER] : (hook as BeforeRedirect);
}

/**
 * A `beforeRedirect` hook that keeps the credential on the origin it was issued for: on a hop to another
 * origin every header and query parameter the source applied is removed (follow-redirects only drops
 * `Authorization` and `Cookie`, and only across hosts, so `X-API-KEY` / `X-BUSINESS-ID` / `X-USER-ID`
 * would leak: GHSA-r4q5-vmmm-2653); on a hop back to that origin they are set again. Node http adapter
 * (follow-redirects) only. The user's own `beforeRedirect` (`inner`) runs first, then the guard, so it
 * has the last word.
 */
export function guardRedirects(inner: BeforeRedirect | undefined, credential: AppliedCredential, origin: string): BeforeRedirect {
  const guard: Guard = chainGuard(inner, credential, origin);
  guard[INNER] = inner;
  return guard;
}

function chainGuard(inner: BeforeRedirect | undefined, credential: AppliedCredential, origin: string): BeforeRedirect {
  return (options, responseDetails, requestDetails) => {
    inner?.(options, responseDetails, requestDetails);
    keepCredentialOnOrigin(options as RedirectOptions, credential, origin);
  };
}

function keepCredentialOnOrigin(hop: RedirectOptions, credential: AppliedCredential, origin: string): void {
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
