import type { AppliedCredential } from '@auth/core';
import { type BeforeRedirect, guardRedirects, userHookOf } from './redirect-guard.js';

/** What a request carried, to renew by the rejected value, stop after one retry and redact the error. */
export interface Sent {
  readonly credential: AppliedCredential;
  readonly retried: boolean;
}

/** Where one `attach` records what each of its requests was sent with. */
export interface SentStore {
  /**
   * Send `config` with `credential` to `origin`: sets its `beforeRedirect` to the redirect guard, which
   * also records what the request carried; `retried` when this is the one retry.
   */
  mark(config: RequestConfig, credential: AppliedCredential, origin: string, retried: boolean): void;
  /** What `config` was sent with, or `undefined` if this `attach` did not authenticate it. */
  get(config: RequestConfig): Sent | undefined;
  /**
   * `config` goes out without the credential (skipped, or to another origin): a guard of ours that a
   * config sent again still carries gives way to the user's own hook, so the request is not taken for
   * one that carried the credential.
   */
  release(config: RequestConfig): void;
}

/** The part of a request config the store reads and writes. */
export interface RequestConfig {
  beforeRedirect?: BeforeRedirect | undefined;
}

/**
 * Create the store of one `attach`. The record of what a request was sent with lives with its redirect
 * guard (a `WeakMap` from guard to record), and every request of one credential to one origin shares one
 * guard. So a request costs neither a `WeakMap` entry of its own (an entry per request measured at
 * about 3 µs, mostly the garbage collector's) nor a property of ours on the config (a property defined
 * there gives every config a shape of its own that axios' request path then reads, about 1.5-3.5% of the
 * client's CPU per request); nothing of the credential shows when a config is logged or serialised.
 * A request with a hook of the user's, or a retry, gets a guard of its own.
 */
export function createSentStore(): SentStore {
  const sentBy = new WeakMap<BeforeRedirect, Sent>();
  let last: { credential: AppliedCredential; origin: string; guard: BeforeRedirect } | undefined;
  return {
    mark(config, credential, origin, retried) {
      const inner = userHookOf(config.beforeRedirect);
      const shared = inner === undefined && !retried;
      if (shared && last?.credential === credential && last.origin === origin) {
        config.beforeRedirect = last.guard;
        return;
      }
      const guard = guardRedirects(inner, credential, origin);
      sentBy.set(guard, { credential, retried });
      if (shared) last = { credential, origin, guard };
      config.beforeRedirect = guard;
    },
    get(config) {
      const guard = config.beforeRedirect;
      return typeof guard === 'function' ? sentBy.get(guard) : undefined;
    },
    release(config) {
      const guard = config.beforeRedirect;
      if (typeof guard === 'function' && sentBy.has(guard)) config.beforeRedirect = userHookOf(guard);
    },
  };
}
