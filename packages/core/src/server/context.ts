import { secretStorageKey } from '../crypto/hash.js';
import { createSealer, type Sealer } from '../crypto/seal.js';
import { DEFAULT_SECRET_PREFIXES, generateSecret, type SecretKind } from '../crypto/token-format.js';
import { ConfigError } from '../errors.js';
import { createSuccessorDerivation, type SuccessorDerivation } from './oauth/successor-derivation.js';
import { toMs, type Duration } from '../util/duration.js';
import type { AuthStore } from './store.js';

/** Logger interface: `console` fits. Messages never contain secrets. */
export interface Logger {
  debug?(message: string, fields?: Record<string, unknown>): void;
  info?(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** The host application's user directory. */
export interface AccountsAdapter {
  /**
   * Check a username and password (password grant, default login page). Return the user, or `null` for
   * an unknown user and a wrong password alike.
   */
  authenticate?(
    username: string,
    password: string,
  ): Promise<{ userId: string; businessId?: string | null } | null>;
  /**
   * The user's current permissions in a business, or `null` if the user no longer exists or is disabled.
   * Called on every API-key verification so removing a permission takes effect at once (cache it in the
   * host app if it is slow). When omitted, credentials keep the scopes they were issued with.
   */
  permissions?(userId: string, businessId: string | null): Promise<readonly string[] | null>;
}

/** Token and code lifetimes. Defaults follow seed 000: access 1 h, refresh 48 h, 5 min grace, 60 s codes. */
export interface Lifetimes {
  accessToken?: Duration;
  refreshToken?: Duration;
  /** How long a rotated refresh token may still be redeemed (getting the identical successor). */
  refreshGrace?: Duration;
  authorizationCode?: Duration;
}

/**
 * Something a process revoked or changed: other caches (in-process, or other processes via a bus) drop it.
 * `client`: an OAuth client was updated or revoked (its cached authentication must be re-read).
 */
export type InvalidationEvent =
  | { type: 'credential'; id: string; hash: string }
  | { type: 'token'; hash: string }
  | { type: 'family'; familyId: string }
  | { type: 'client'; clientId: string };

/** Publishes revocations to every verifier cache. Issue #7 plugs a cross-process bus in here. */
export interface InvalidationBus {
  publish(event: InvalidationEvent): void;
  subscribe(listener: (event: InvalidationEvent) => void): () => void;
}

/** Options every server module reads. */
export interface ServerCoreOptions {
  /** The issuer identifier (RFC 8414), an https URL (http allowed for loopback). */
  issuer: string;
  store: AuthStore;
  /**
   * Secrets for sealing cookies and deriving rotated-token successors, newest first; each >= 32 characters.
   * Add a new one at the front to rotate; old ones keep opening existing seals.
   */
  secrets: readonly string[];
  /**
   * Server-side pepper mixed into every stored secret hash (HMAC-SHA256). Must never change once set
   * (stored hashes would stop matching). Omit for plain SHA-256.
   */
  pepper?: string;
  lifetimes?: Lifetimes;
  /** Namespace for issued secrets, e.g. `acme` gives `acme_ak_...`. */
  secretNamespace?: string;
  accounts?: AccountsAdapter;
  logger?: Logger;
  /** Clock in epoch ms, for tests. */
  now?: () => number;
}

/** Normalised options shared by the verifier, credential managers and the OAuth server. */
export interface ServerContext {
  readonly issuer: string;
  readonly store: AuthStore;
  now(): number;
  readonly lifetimes: {
    accessTokenMs: number;
    refreshTokenMs: number;
    refreshGraceMs: number;
    authorizationCodeMs: number;
  };
  /** The key a secret is stored and looked up under: `secretStorageKey` (peppered when configured). */
  hash(secret: string): string;
  /** Generate a new secret of a kind, with its prefix and checksum. */
  newSecret(kind: SecretKind): string;
  /** The prefix for a kind, to recognise presented secrets. */
  prefix(kind: SecretKind): string;
  /** Sealer for server-internal values (JWT servers' successor responses, interaction state). */
  readonly sealer: Sealer;
  /** Derives a rotated refresh token's successor pair from the parent (see `successor-derivation.ts`). */
  readonly successors: SuccessorDerivation;
  readonly accounts: AccountsAdapter;
  readonly logger: Logger;
  readonly invalidation: InvalidationBus;
}

const silentLogger: Logger = { warn() {}, error() {} };

/** Kinds written on every grant: issued time-ordered, so their store keys append (see `secretStorageKey`). */
const TIME_ORDERED_KINDS = new Set<SecretKind>(['accessToken', 'refreshToken', 'authorizationCode']);
const TIME_ORDERED = { timeOrdered: true } as const;

/** Create an in-process invalidation bus. */
export function createInvalidationBus(): InvalidationBus {
  const listeners = new Set<(event: InvalidationEvent) => void>();
  return {
    publish(event) {
      for (const l of listeners) l(event);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Validate options and build the shared {@link ServerContext}. Throws {@link ConfigError}. */
export function createServerContext(options: ServerCoreOptions, bus = createInvalidationBus()): ServerContext {
  let issuer: URL;
  try {
    issuer = new URL(options.issuer);
  } catch (cause) {
    throw new ConfigError('`issuer` must be an absolute URL', { cause });
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);
  if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && loopback)) {
    throw new ConfigError('`issuer` must use https (http is allowed only on loopback)');
  }
  if (issuer.search || issuer.hash) throw new ConfigError('`issuer` must not have a query or fragment');
  if (!options.store) throw new ConfigError('`store` is required');
  let sealer: Sealer;
  try {
    sealer = createSealer(options.secrets, 'auth-server');
  } catch (cause) {
    throw new ConfigError('`secrets` must be a non-empty list of strings of at least 32 characters', { cause });
  }
  const ns = options.secretNamespace;
  if (ns !== undefined && !/^[a-z][a-z0-9]{0,15}$/.test(ns)) {
    throw new ConfigError('`secretNamespace` must match /^[a-z][a-z0-9]{0,15}$/');
  }
  const prefix = (kind: SecretKind) => (ns ? `${ns}_${DEFAULT_SECRET_PREFIXES[kind]}` : DEFAULT_SECRET_PREFIXES[kind]);
  const l = options.lifetimes ?? {};
  let lifetimes: ServerContext['lifetimes'];
  try {
    lifetimes = {
      accessTokenMs: toMs(l.accessToken ?? '1h'),
      refreshTokenMs: toMs(l.refreshToken ?? '48h'),
      refreshGraceMs: toMs(l.refreshGrace ?? '5m'),
      authorizationCodeMs: toMs(l.authorizationCode ?? '60s'),
    };
  } catch (cause) {
    throw new ConfigError('Invalid `lifetimes`', { cause });
  }
  const pepper = options.pepper;
  return {
    issuer: options.issuer,
    store: options.store,
    now: options.now ?? Date.now,
    lifetimes,
    hash: (secret) => secretStorageKey(secret, pepper),
    newSecret: (kind) => generateSecret(prefix(kind), TIME_ORDERED_KINDS.has(kind) ? TIME_ORDERED : undefined),
    prefix,
    sealer,
    successors: createSuccessorDerivation(options.secrets, { accessToken: prefix('accessToken'), refreshToken: prefix('refreshToken') }),
    accounts: options.accounts ?? {},
    logger: options.logger ?? silentLogger,
    invalidation: bus,
  };
}
