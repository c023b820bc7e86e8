/**
 * The authorization server's endpoints as Route Handlers, for an API built on Next.js.
 *
 * @module
 */
import type { AuthServer } from '@auth/core';

/** A Route Handler that serves the authorization server. */
export type ProviderRouteHandler = (request: Request) => Promise<Response>;

/** `{ GET, POST }` to export from the provider's route files. */
export interface ProviderRoutes {
  /** Authorization endpoint, built-in login/consent pages, metadata and JWKS. */
  GET: ProviderRouteHandler;
  /** Token, revocation, introspection, and the form posts of authorization, login and consent. */
  POST: ProviderRouteHandler;
}

/**
 * Serve `auth.oauth` (authorize, token, revoke, introspect, login, consent, JWKS and RFC 8414 metadata)
 * from Route Handlers. Mount the handlers twice: on a catch-all for the endpoints and on the well-known
 * metadata path. Next.js answers `HEAD` with `GET`.
 *
 * Anything the core does not recognise gets its 404 JSON, so a catch-all can be mounted wider than the
 * endpoints without shadowing them with HTML 404 pages.
 *
 * @example
 * ```ts
 * // lib/auth.ts
 * export const auth = createAuthServer({ issuer: 'https://api.example.com', store, secrets, accounts });
 * export const provider = createProviderRoutes(auth);
 *
 * // app/oauth/[...oauth]/route.ts
 * export const { GET, POST } = provider;
 * // app/.well-known/oauth-authorization-server/route.ts
 * export const { GET } = provider;
 * ```
 */
export function createProviderRoutes(auth: Pick<AuthServer, 'oauth'>): ProviderRoutes {
  // The core reads the body itself; Next.js never parses Route Handler bodies.
  const serve: ProviderRouteHandler = async function providerRoute(request) {
    return auth.oauth.handle(request);
  };
  return { GET: serve, POST: serve };
}
