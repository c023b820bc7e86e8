import { ConfigError } from '../errors.js';
import type { AppliedCredential, CredentialSource } from './credential-source.js';

/** Options for {@link authFetch}. */
export interface AuthFetchOptions {
  /** The underlying fetch. Default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Delegated tokens: the subject (user or session) every request acts for. */
  subject?: string;
  /** Redirects followed before the redirect response itself is returned. Default 20, as browsers do. */
  maxRedirects?: number;
}

/** A `fetch` that authenticates its requests. Per-call `subject` overrides the one in the options. */
export type AuthenticatedFetch = (
  input: string | URL | Request,
  init?: RequestInit & { subject?: string },
) => Promise<Response>;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function isReplayable(body: RequestInit['body'] | undefined): boolean {
  // A stream can be read once: a request carrying one can be neither retried nor redirected with its body.
  return body === undefined || body === null || !(body instanceof ReadableStream);
}

/**
 * Wrap `fetch` so every request carries the credential from `source`.
 *
 * - On a 401 (only 401) from a request that carried the credential, a renewable source renews once and
 *   the request is retried once; a second 401 is returned as is. Requests whose body is a stream are not
 *   retried. Static sources never renew: their 401 is returned.
 * - Redirects are followed by hand so the credential never leaves the origin it was sent to: on a
 *   cross-origin hop the credential headers are not sent.
 *
 * @example
 * ```ts
 * const api = authFetch(createTokenManager(clientCredentials({ tokenEndpoint, clientId, clientSecret })));
 * const res = await api('https://api.example.com/v1/users');
 * ```
 */
export function authFetch(source: CredentialSource, options: AuthFetchOptions = {}): AuthenticatedFetch {
  if (!source || typeof source.credential !== 'function') throw new ConfigError('authFetch: a credential source is required');
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== 'function') throw new ConfigError('authFetch: no fetch implementation available');
  const maxRedirects = options.maxRedirects ?? 20;

  return async function authenticatedFetch(input, init = {}) {
    const { subject = options.subject, ...overrides } = init;
    // Normalise to URL + init. A Request's body is a stream: usable once, so never replayed.
    const fromRequest: RequestInit =
      input instanceof Request
        ? {
            method: input.method,
            headers: input.headers,
            signal: input.signal,
            redirect: input.redirect,
            ...(input.body ? { body: input.body, duplex: 'half' } : {}),
          }
        : {};
    const requestInit: RequestInit = { ...fromRequest, ...overrides };
    const replayable = isReplayable(requestInit.body);
    const url = new URL(input instanceof Request ? input.url : input instanceof URL ? input.href : String(input));
    const redirectMode = requestInit.redirect ?? 'follow';

    const send = async (credential: AppliedCredential): Promise<{ response: Response; carried: boolean }> => {
      let target = new URL(url);
      const origin = target.origin;
      let method = (requestInit.method ?? 'GET').toUpperCase();
      let body = requestInit.body;
      let bodyDropped = false;
      for (let hop = 0; ; hop++) {
        const sameOrigin = target.origin === origin;
        for (const [name, value] of Object.entries(credential.query)) {
          if (sameOrigin) target.searchParams.set(name, value);
          else if (target.searchParams.get(name) === value) target.searchParams.delete(name);
        }
        const headers = new Headers(requestInit.headers);
        // Never send the credential to another origin, whatever the caller put in the headers.
        if (sameOrigin) for (const [name, value] of Object.entries(credential.headers)) headers.set(name, value);
        else for (const name of Object.keys(credential.headers)) headers.delete(name);
        if (bodyDropped) {
          headers.delete('content-type');
          headers.delete('content-length');
        }
        const response = await fetchImpl(target, { ...requestInit, method, headers, body, redirect: 'manual' });
        const location = response.headers.get('location');
        if (redirectMode !== 'follow' || !REDIRECTS.has(response.status) || location === null || hop >= maxRedirects) {
          return { response, carried: sameOrigin };
        }
        if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
          if (method !== 'HEAD') method = 'GET';
          body = undefined;
          bodyDropped = true;
        } else if (!replayable) {
          return { response, carried: sameOrigin };
        }
        await response.body?.cancel().catch(() => {});
        target = new URL(location, target);
      }
    };

    const credential = await source.credential(subject === undefined ? {} : { subject });
    const first = await send(credential);
    if (first.response.status !== 401 || !first.carried || !source.renewable || !replayable) return first.response;
    const renewed = await source.renew(credential);
    if (!renewed) return first.response;
    await first.response.body?.cancel().catch(() => {});
    return (await send(renewed)).response;
  };
}
