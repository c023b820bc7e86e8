import type { JWK } from 'jose';
import { ConfigError } from '../../errors.js';
import { toMs, type Duration } from '../../util/duration.js';
import type { OAuthInteraction } from './interaction.js';

/** Where each endpoint is served, relative to the mount point. */
export interface OAuthPaths {
  /** Default `/oauth/authorize`. */
  authorize?: string;
  /** Default `/oauth/token`. */
  token?: string;
  /** Default `/oauth/revoke`. */
  revoke?: string;
  /** Default `/oauth/introspect`. */
  introspect?: string;
  /** Default `/.well-known/oauth-authorization-server`. */
  metadata?: string;
  /** Default `/oauth/jwks` (served only with JWT access tokens). */
  jwks?: string;
  /** Default `/oauth/login` (the built-in login page). */
  login?: string;
  /** Default `/oauth/consent` (the built-in consent page). */
  consent?: string;
}

/**
 * Opaque access tokens (the default): looked up by hash, so revocation is immediate (`auth.verify` serves a
 * repeat from its cache, which this process's revocation events clear at once).
 */
export interface OpaqueAccessTokens {
  format: 'opaque';
}

/**
 * RFC 9068 JWT access tokens (`typ: at+jwt`) for resource servers that verify without the store.
 * Keys are passed in, never generated per process: replicas must share them.
 */
export interface JwtAccessTokens {
  format: 'jwt';
  /**
   * Private JWKs, newest first. The first signs; all are published on the JWKS endpoint so tokens signed
   * by a retiring key still verify. Each needs `kid` and `alg` (RS256, PS256, ES256, ES384 or EdDSA).
   * See `generateAccessTokenSigningKey` for development.
   */
  signingKeys: readonly JWK[];
  /** The `aud` claim: the resource server identifier. Default: the issuer. */
  audience?: string;
}

/** Options of the authorization server. */
export interface OAuthServerOptions {
  /** Endpoint paths. */
  paths?: OAuthPaths;
  /**
   * Path prefix the host mounts the handler under (for example `/auth`). Requests are matched both with
   * and without it; advertised endpoint URLs include it. Default: the issuer's path.
   */
  basePath?: string;
  /** Grants beyond the default ones (`authorization_code`, `client_credentials`, `refresh_token`). */
  grants?: {
    /**
     * Enable the resource owner password grant (RFC 6749 4.3) for clients whose `grantTypes` include
     * `password`. Off by default: it teaches users to type passwords into third-party apps.
     */
    password?: boolean;
  };
  /** Access token format. Default `{ format: 'opaque' }`. */
  accessTokens?: OpaqueAccessTokens | JwtAccessTokens;
  /** Login and consent. Default: the built-in pages and `deps.sessions`. */
  interaction?: OAuthInteraction;
  /** PKCE policy: `public` (required for public clients, honoured for others; default) or `all`. */
  requirePkce?: 'public' | 'all';
  /**
   * Client ids allowed to introspect tokens issued to other clients (resource servers). Every other client
   * only sees its own tokens as active.
   */
  introspectionClients?: readonly string[];
  /** Scopes advertised in metadata (`scopes_supported`). Omitted when unset. */
  scopesSupported?: readonly string[];
  /** How long a pending authorization request survives the login and consent round-trips. Default `10m`. */
  interactionLifetime?: Duration;
  /** Largest form body accepted, in bytes. Default 64 KiB. */
  maxBodyBytes?: number;
  /**
   * Remember recent client authentications at the token, revocation and introspection endpoints, so a
   * warm request reads no client or secret from the store. Keyed by client id and the exact secret
   * presented (held in memory for the TTL, like the verifier's cache); failures are never remembered.
   * Emptied at once by this process's client and secret changes, and by other processes' through a shared
   * invalidation bus (`@auth/redis-store`); without one, another process's change is seen within `ttl`.
   * `false` reads the store on every request. Default `{ maxEntries: 1000, ttl: '30s' }`.
   */
  clientCache?: false | { maxEntries?: number; ttl?: Duration };
}

/** {@link OAuthServerOptions} with defaults applied and values checked. */
export interface ResolvedOAuthOptions {
  paths: Required<OAuthPaths>;
  basePath: string;
  passwordGrant: boolean;
  accessTokens: OpaqueAccessTokens | JwtAccessTokens;
  interaction: OAuthInteraction;
  requirePkce: 'public' | 'all';
  introspectionClients: ReadonlySet<string>;
  scopesSupported: readonly string[] | undefined;
  interactionLifetimeMs: number;
  maxBodyBytes: number;
  clientCache: { maxEntries: number; ttlMs: number };
}

const DEFAULT_PATHS: Required<OAuthPaths> = {
  authorize: '/oauth/authorize',
  token: '/oauth/token',
  revoke: '/oauth/revoke',
  introspect: '/oauth/introspect',
  metadata: '/.well-known/oauth-authorization-server',
  jwks: '/oauth/jwks',
  login: '/oauth/login',
  consent: '/oauth/consent',
};

const PATH_RE = /^(?:\/[A-Za-z0-9\-._~]+)+$/;
const JWT_ALGS = new Set(['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA']);

/** Apply defaults and validate. Throws {@link ConfigError} at construction, never per request. */
export function resolveOAuthOptions(issuer: string, options: OAuthServerOptions = {}): ResolvedOAuthOptions {
  const paths = { ...DEFAULT_PATHS, ...options.paths };
  for (const [name, path] of Object.entries(paths)) {
    if (!PATH_RE.test(path)) throw new ConfigError(`oauth.paths.${name} must be an absolute path such as /oauth/token`);
  }
  if (new Set(Object.values(paths)).size !== Object.keys(paths).length) {
    throw new ConfigError('oauth.paths must all differ');
  }
  const issuerPath = new URL(issuer).pathname.replace(/\/$/, '');
  const basePath = options.basePath === undefined ? issuerPath : options.basePath.replace(/\/$/, '');
  if (basePath !== '' && !PATH_RE.test(basePath)) throw new ConfigError('oauth.basePath must look like /auth');

  const accessTokens = options.accessTokens ?? { format: 'opaque' };
  if (accessTokens.format === 'jwt') {
    if (!accessTokens.signingKeys?.length) {
      throw new ConfigError('JWT access tokens need oauth.accessTokens.signingKeys (shared by every replica)');
    }
    const kids = new Set<string>();
    for (const key of accessTokens.signingKeys) {
      if (typeof key.kid !== 'string' || !key.kid) throw new ConfigError('Every signing key needs a `kid`');
      if (kids.has(key.kid)) throw new ConfigError('Signing key ids must be unique');
      kids.add(key.kid);
      if (typeof key.alg !== 'string' || !JWT_ALGS.has(key.alg)) {
        throw new ConfigError(`Signing key alg must be one of ${[...JWT_ALGS].join(', ')}`);
      }
      if (typeof key.d !== 'string') throw new ConfigError('Signing keys must be private keys');
    }
  } else if (accessTokens.format !== 'opaque') {
    throw new ConfigError("oauth.accessTokens.format must be 'opaque' or 'jwt'");
  }

  let interactionLifetimeMs: number;
  try {
    interactionLifetimeMs = toMs(options.interactionLifetime ?? '10m');
  } catch (cause) {
    throw new ConfigError('Invalid oauth.interactionLifetime', { cause });
  }
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1024) {
    throw new ConfigError('oauth.maxBodyBytes must be an integer >= 1024');
  }
  const clientCache = resolveClientCache(options.clientCache);
  const requirePkce = options.requirePkce ?? 'public';
  if (requirePkce !== 'public' && requirePkce !== 'all') throw new ConfigError("oauth.requirePkce must be 'public' or 'all'");

  return {
    paths,
    basePath,
    passwordGrant: options.grants?.password === true,
    accessTokens,
    interaction: options.interaction ?? {},
    requirePkce,
    introspectionClients: new Set(options.introspectionClients ?? []),
    scopesSupported: options.scopesSupported,
    interactionLifetimeMs,
    maxBodyBytes,
    clientCache,
  };
}

function resolveClientCache(option: OAuthServerOptions['clientCache']): ResolvedOAuthOptions['clientCache'] {
  if (option === false) return { maxEntries: 0, ttlMs: 0 };
  if (option !== undefined && (typeof option !== 'object' || option === null)) {
    throw new ConfigError('oauth.clientCache must be false or { maxEntries, ttl }');
  }
  const maxEntries = option?.maxEntries ?? 1000;
  if (!Number.isInteger(maxEntries) || maxEntries < 0) throw new ConfigError('oauth.clientCache.maxEntries must be an integer >= 0');
  let ttlMs: number;
  try {
    ttlMs = toMs(option?.ttl ?? '30s');
  } catch (cause) {
    throw new ConfigError('Invalid oauth.clientCache.ttl', { cause });
  }
  return { maxEntries, ttlMs };
}
