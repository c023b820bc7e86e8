/**
 * Which request paths the authorization server answers, and the public URL of each endpoint.
 *
 * A request matches an endpoint when its pathname (one trailing slash ignored) equals the endpoint's
 * path, either bare (`/oauth/token`: the adapter stripped its mount prefix) or under the base path
 * (`/auth/oauth/token`). The base path defaults to the issuer's path. Metadata is also served at the
 * RFC 8414 location for issuers with a path (`/.well-known/oauth-authorization-server/auth`).
 *
 * @module
 */
import type { OAuthPaths, ResolvedOAuthOptions } from './oauth-options.js';

/** An endpoint of the authorization server. */
export type RouteName = keyof OAuthPaths;

/** Path matching and endpoint URLs. */
export interface EndpointPaths {
  /** The endpoint a pathname addresses, or null. */
  match(pathname: string): RouteName | null;
  /** The absolute public URL of an endpoint. */
  url(route: RouteName): string;
  /** Every pathname served as the issuer advertises it (base path included), for adapters that register routes. */
  served: readonly string[];
}

/** Build the matcher. `enabled` lists the endpoints actually served (JWKS only with JWTs, etc.). */
export function createEndpointPaths(issuer: string, options: ResolvedOAuthOptions, enabled: readonly RouteName[]): EndpointPaths {
  const origin = new URL(issuer).origin;
  const issuerPath = new URL(issuer).pathname.replace(/\/$/, '');
  const table = new Map<string, RouteName>();
  const served: string[] = [];
  for (const route of enabled) {
    const path = options.paths[route];
    table.set(path, route);
    table.set(options.basePath + path, route);
    served.push(options.basePath + path);
  }
  if (issuerPath && enabled.includes('metadata')) {
    table.set(options.paths.metadata + issuerPath, 'metadata');
    if (!served.includes(options.paths.metadata + issuerPath)) served.push(options.paths.metadata + issuerPath);
  }
  return {
    match(pathname) {
      const p = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
      return table.get(p) ?? null;
    },
    url(route) {
      return origin + options.basePath + options.paths[route];
    },
    served: Object.freeze(served),
  };
}
