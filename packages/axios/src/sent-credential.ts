import type { AppliedCredential } from '@auth/core';

/** What a request carried, to renew by the rejected value, stop after one retry and redact the error. */
export interface Sent {
  readonly credential: AppliedCredential;
  readonly retried: boolean;
}

class SentCredential implements Sent {
  readonly #credential: AppliedCredential;
  readonly retried: boolean;

  constructor(credential: AppliedCredential, retried: boolean) {
    this.#credential = credential;
    this.retried = retried;
  }

  get credential(): AppliedCredential {
    return this.#credential;
  }
}

/** Where one `attach` records what each of its requests was sent with. */
export interface SentStore {
  /** Record on `config` the credential it is sent with; `retried` when this is the one retry. */
  mark(config: object, credential: AppliedCredential, retried: boolean): void;
  /** What `config` was sent with, or `undefined` if this `attach` did not authenticate it. */
  get(config: object): Sent | undefined;
}

/**
 * A {@link SentStore} that keeps the record on the config itself, under a non-enumerable symbol of its
 * own (one per `attach`, so two attachments never read each other's records).
 *
 * Not a WeakMap: an entry per request cost more CPU (mostly in the garbage collector) than the rest of
 * the interceptor. Non-enumerable keeps the record out of axios's config copy (a config sent again by
 * hand is a new request), `JSON.stringify`, spreads and `console.log`; the private field keeps the
 * credential out even of `util.inspect(config, { showHidden: true })`.
 */
export function createSentStore(): SentStore {
  const key = Symbol('@auth/axios:sent');
  // Only for a config that cannot take a property (frozen by an interceptor of the user's).
  const sealed = new WeakMap<object, SentCredential>();
  return {
    mark(config, credential, retried) {
      const sent = new SentCredential(credential, retried);
      if (Object.isExtensible(config)) {
        Object.defineProperty(config, key, { value: sent, configurable: true, writable: true, enumerable: false });
      } else {
        sealed.set(config, sent);
      }
    },
    get(config) {
      const sent = (config as Record<symbol, unknown>)[key];
      return sent instanceof SentCredential ? sent : sealed.get(config);
    },
  };
}
