import type { AppliedCredential } from '@auth/core';
import type { InternalAxiosRequestConfig } from 'axios';

/** What replaces a credential value in a surfaced error's config. */
export const REDACTED = '[redacted]';

/**
 * Replace the credential in a config that is about to leave with a rejected promise: an `AxiosError`
 * carries its config (and `toJSON()` serialises it), and errors end up in logs. Safe for a config
 * the user sends again, because the request interceptor sets the credential afresh.
 */
export function redactCredential(config: InternalAxiosRequestConfig, credential: AppliedCredential): void {
  const headers = config.headers;
  if (headers && typeof headers.set === 'function') {
    for (const name of Object.keys(credential.headers)) if (headers.has(name)) headers.set(name, REDACTED);
  }
  const params: unknown = config.params;
  for (const name of Object.keys(credential.query)) {
    if (params instanceof URLSearchParams) {
      if (params.has(name)) params.set(name, REDACTED);
    } else if (params && typeof params === 'object' && name in params) {
      (params as Record<string, unknown>)[name] = REDACTED;
    }
  }
}
