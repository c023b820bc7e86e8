import type { AppliedCredential } from '@auth/core';

/**
 * Marks the one retry after a renewal and carries the credential to retry with.
 *
 * The retry goes through `instance.request`, which copies the config; a string key with a class
 * instance as value survives that copy by reference (axios deep-copies only plain objects). The
 * credential itself lives in a WeakMap, so it never shows up when a config is logged or serialised.
 */
const RETRY_KEY = '@auth/axios:retry';
const credentials = new WeakMap<RetryTicket, AppliedCredential>();

class RetryTicket {}

type WithTicket = { [RETRY_KEY]?: RetryTicket };

/** Put a ticket for `credential` on `config` before it is sent again. */
export function issueTicket(config: object, credential: AppliedCredential): void {
  const ticket = new RetryTicket();
  credentials.set(ticket, credential);
  (config as WithTicket)[RETRY_KEY] = ticket;
}

/**
 * Remove the ticket from `config` and return its credential, or `undefined` if `config` is not a retry.
 * Taken once, so a config the user resends by hand is a new request, not a second retry.
 */
export function takeTicket(config: object): AppliedCredential | undefined {
  const ticket = (config as WithTicket)[RETRY_KEY];
  if (!(ticket instanceof RetryTicket)) return undefined;
  delete (config as WithTicket)[RETRY_KEY];
  return credentials.get(ticket);
}
