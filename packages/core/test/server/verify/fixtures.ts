import { expect } from 'vitest';
import { errorResponse, type ErrorResponseParts } from '../../../src/errors.js';
import { createSessionCookies, type SessionCookieOptions } from '../../../src/server/cookies/session-cookies.js';
import { createServerContext, type AccountsAdapter, type ServerCoreOptions } from '../../../src/server/context.js';
import { createCredentialManagers } from '../../../src/server/credentials/index.js';
import type { Principal } from '../../../src/server/principal.js';
import type { AuthStore } from '../../../src/server/store.js';
import type { HeaderAccessor } from '../../../src/server/verify/header-accessor.js';
import { createVerifier } from '../../../src/server/verify/verifier.js';
import type { VerifierMethods } from '../../../src/server/verify/verifier-options.js';
import { memoryAuthStore } from '../../../src/store/memory-auth-store.js';

export const SECRET_A = 'a'.repeat(16) + 'secret-number-one-for-tests';
export const SECRET_B = 'b'.repeat(16) + 'secret-number-two-for-tests';
export const T0 = Date.UTC(2026, 0, 1);

/** A real memory store behind a proxy that counts calls per method. */
export function countingStore(inner: AuthStore = memoryAuthStore()) {
  const calls = new Map<string, number>();
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.set(String(prop), (calls.get(String(prop)) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return {
    store,
    inner,
    count: (name: keyof AuthStore) => calls.get(name) ?? 0,
    total: () => [...calls.values()].reduce((a, b) => a + b, 0),
    reset: () => calls.clear(),
  };
}

/** Mutable permissions directory: `null` means the user is gone. */
export function permissionsDirectory() {
  const grants = new Map<string, readonly string[] | null>();
  let calls = 0;
  const accounts: AccountsAdapter = {
    async permissions(userId, businessId) {
      calls++;
      const key = `${userId}|${businessId ?? ''}`;
      return grants.has(key) ? grants.get(key)! : null;
    },
  };
  return {
    accounts,
    set: (userId: string, businessId: string | null, scopes: readonly string[] | null) =>
      grants.set(`${userId}|${businessId ?? ''}`, scopes),
    calls: () => calls,
  };
}

export interface SetupOptions {
  methods?: VerifierMethods;
  cookies?: SessionCookieOptions;
  accounts?: AccountsAdapter;
  secrets?: string[];
  issuer?: string;
  store?: AuthStore;
  core?: Partial<ServerCoreOptions>;
}

/** A server context, verifier, session cookies and managers over a counting memory store and a fake clock. */
export function setup(options: SetupOptions = {}) {
  const clock = { now: T0 };
  const counted = countingStore(options.store);
  const ctx = createServerContext({
    issuer: options.issuer ?? 'https://api.example.com',
    store: counted.store,
    secrets: options.secrets ?? [SECRET_A],
    accounts: options.accounts,
    now: () => clock.now,
    ...options.core,
  });
  const accessTokens = new Map<string, Principal>();
  const oauthCalls: string[] = [];
  const oauth = {
    async verifyAccessToken(token: string) {
      oauthCalls.push(token);
      return accessTokens.get(token) ?? null;
    },
  };
  const sessions = createSessionCookies(ctx, options.cookies);
  const verifier = createVerifier(ctx, options.methods, { sessions, oauth });
  const managers = createCredentialManagers(ctx);
  return {
    ctx,
    clock,
    counted,
    sessions,
    verifier,
    managers,
    accessTokens,
    oauthCalls,
    advance: (ms: number) => {
      clock.now += ms;
    },
  };
}

/** A header accessor over a plain object, as Express passes `req.headers`. */
export function headers(values: Record<string, string | readonly string[] | undefined>): HeaderAccessor {
  const lower = new Map(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v]));
  return (name) => lower.get(name);
}

/** Await a rejection and return how an adapter would render it. Fails the test on success or a 500. */
export async function rendered(promise: Promise<unknown>): Promise<ErrorResponseParts & { error: unknown }> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  expect(caught, 'expected verification to fail').toBeDefined();
  const parts = errorResponse(caught);
  expect(parts.status, `rendered as ${parts.status}: ${String(caught)}`).toBeLessThan(500);
  return { ...parts, error: caught };
}
