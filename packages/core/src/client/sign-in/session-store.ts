/**
 * Server-side records of signed-in sessions. The session cookie carries only a sealed session id; what
 * the session knows about the user lives here, and deleting the record signs the session out everywhere
 * at once (a copied cookie stops working on logout).
 *
 * @module
 */

/** What the signed-in user looks like to the app: claims from the `user` hook or the ID token. */
export interface SignInUser {
  sub?: string;
  name?: string;
  email?: string;
  [claim: string]: unknown;
}

/** One signed-in session. Tokens are not here: they live in the token store, keyed by session id. */
export interface SignInSessionRecord {
  user: SignInUser | null;
  /** Scope granted at sign-in, if the server said. */
  scope: string | null;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms; the store may forget the record after this. */
  expiresAt: number;
}

/**
 * Where session records live. Implement it over Redis or SQL when several processes serve the app; the
 * default {@link memorySignInSessionStore} is per process.
 */
export interface SignInSessionStore {
  get(sessionId: string): Promise<SignInSessionRecord | null>;
  set(sessionId: string, record: SignInSessionRecord): Promise<void>;
  delete(sessionId: string): Promise<void>;
}

/** Options of {@link memorySignInSessionStore}. */
export interface MemorySignInSessionStoreOptions {
  /** Clock, epoch ms. Default `Date.now`. */
  now?: () => number;
  /** Most records kept; the oldest are dropped first. Default 100 000. */
  maxEntries?: number;
}

/**
 * The default {@link SignInSessionStore}: a bounded map in this process.
 *
 * @example
 * ```ts
 * const signIn = createSignIn({ grant, secrets, sessionStore: memorySignInSessionStore({ maxEntries: 10_000 }) });
 * ```
 */
export function memorySignInSessionStore(options: MemorySignInSessionStoreOptions = {}): SignInSessionStore {
  const now = options.now ?? Date.now;
  const max = options.maxEntries ?? 100_000;
  const records = new Map<string, SignInSessionRecord>();
  return {
    async get(id) {
      const record = records.get(id);
      if (!record) return null;
      if (record.expiresAt <= now()) {
        records.delete(id);
        return null;
      }
      return structuredClone(record);
    },
    async set(id, record) {
      records.delete(id);
      // Map keeps insertion order: the first keys are the oldest sessions.
      for (const key of records.keys()) {
        if (records.size < max) break;
        records.delete(key);
      }
      records.set(id, structuredClone(record));
    },
    async delete(id) {
      records.delete(id);
    },
  };
}
