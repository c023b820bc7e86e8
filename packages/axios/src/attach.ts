import { type AppliedCredential, ConfigError, type CredentialRequestOptions, type CredentialSource } from '@auth/core';
import type { AxiosInstance, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { allowedOrigins, requestOriginResolver } from './origin-allow-list.js';
import { redactCredential } from './redact-config.js';
import { isReplayableBody } from './replayable-body.js';
import './request-config.js';
import { issueTicket, takeTicket } from './retry-ticket.js';
import { createSentStore } from './sent-credential.js';

/** The credential request of a call without a subject: one shared object, never written to. */
const NO_SUBJECT: CredentialRequestOptions = Object.freeze({});

/** Options for {@link attach}. */
export interface AttachOptions {
  /**
   * Origins (`https://api.example.com`) whose requests get the credential; requests elsewhere are
   * sent untouched. Default: the origin of the instance's `baseURL`. Required when the instance has no
   * `baseURL`: the credential is never sent to every origin by default.
   */
  origins?: readonly string[];
  /** Delegated tokens: the user or session every request acts for. Per request: `authSubject`. */
  subject?: string;
}

/** What {@link attach} returns. */
export interface AttachedAuth {
  /** Remove both interceptors. Requests already in flight finish as they started. Idempotent. */
  eject(): void;
}

/**
 * Authenticate every request of an axios instance with a credential source from `@auth/core`.
 *
 * - A request interceptor applies the source's headers (and query parameter, for query-style API
 *   keys) to requests whose origin is allowed (see {@link AttachOptions.origins}).
 * - A response interceptor handles 401 (only 401): it calls `source.renew(rejected)`, the core's
 *   single flight deduplicated by the rejected credential, so every request rejected with the same
 *   token (even one sent before the renewal began) waits for one renewal, then retries once with the
 *   new credential. A second 401 is surfaced. Static sources never renew. Stream bodies are not
 *   retried. A failed renewal rejects the waiting requests with the core's typed error.
 * - On a redirect to another origin the credential is removed (Node http adapter).
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { attach, clientCredentials, createTokenManager } from '@auth/axios';
 *
 * const api = axios.create({ baseURL: 'https://api.example.com' });
 * const tokens = createTokenManager(
 *   clientCredentials({ tokenEndpoint: 'https://api.example.com/oauth2/token', clientId, clientSecret }),
 * );
 * const auth = attach(api, tokens);
 * const { data } = await api.get('/v1/users');
 * auth.eject();
 * ```
 */
export function attach(instance: AxiosInstance, source: CredentialSource, options: AttachOptions = {}): AttachedAuth {
  if (!instance?.interceptors || typeof instance.request !== 'function') {
    throw new ConfigError('attach: the first argument must be an axios instance');
  }
  if (!source || typeof source.credential !== 'function' || typeof source.renew !== 'function') {
    throw new ConfigError('attach: the second argument must be a credential source from @auth/core');
  }
  const origins = allowedOrigins(options.origins, instance.defaults.baseURL);

  const targetOrigin = requestOriginResolver();
  const sent = createSentStore();

  // Not `async`: a request that gets no credential goes on without waiting a turn for a promise.
  function authenticateRequest(
    config: InternalAxiosRequestConfig,
  ): InternalAxiosRequestConfig | Promise<InternalAxiosRequestConfig> {
    const renewed = takeTicket(config);
    if (config.skipAuth === true) return release(config);
    const origin = targetOrigin(config);
    if (origin === undefined || !origins.has(origin)) return release(config);
    if (renewed !== undefined) return applyCredential(config, renewed, origin, true);
    const subject = config.authSubject ?? options.subject;
    const request = subject === undefined ? NO_SUBJECT : { subject };
    // A credential at hand (a static one, or a token manager's fresh token): no promise to wait for.
    const now = source.credentialNow?.(request);
    if (now !== undefined) return applyCredential(config, now, origin, false);
    // Promise.resolve: a hand-written source that answers with a plain value still works, as with await.
    return Promise.resolve(source.credential(request)).then((credential) => applyCredential(config, credential, origin, false));
  }

  function applyCredential(
    config: InternalAxiosRequestConfig,
    credential: AppliedCredential,
    origin: string,
    retried: boolean,
  ): InternalAxiosRequestConfig {
    const { headers, query } = credential;
    for (const name of Object.keys(headers)) config.headers.set(name, headers[name]);
    const queryNames = Object.keys(query);
    if (queryNames.length > 0) {
      // A copy: the caller's params object may be shared between requests.
      const params: unknown = config.params;
      if (params instanceof URLSearchParams) {
        const copy = new URLSearchParams(params);
        for (const name of queryNames) copy.set(name, query[name] as string);
        config.params = copy;
      } else {
        config.params = { ...(params as object | undefined), ...query };
      }
    }
    sent.mark(config, credential, origin, retried);
    return config;
  }

  /** A request sent without the credential. */
  function release(config: InternalAxiosRequestConfig): InternalAxiosRequestConfig {
    sent.release(config);
    return config;
  }

  /** The retried request's outcome, or `undefined` when the original outcome stands. */
  async function renewAndRetry(
    config: InternalAxiosRequestConfig | undefined,
    status: number | undefined,
  ): Promise<AxiosResponse | undefined> {
    const state = config ? sent.get(config) : undefined;
    if (!config || !state) return undefined;
    if (status !== 401 || state.retried || !source.renewable || !isReplayableBody(config.data)) {
      redactCredential(config, state.credential);
      return undefined;
    }
    // Throws the core's typed error (OAuthError, ReauthenticationRequiredError...) to every waiter.
    const renewed = await source.renew(state.credential);
    if (!renewed) {
      redactCredential(config, state.credential);
      return undefined;
    }
    issueTicket(config, renewed);
    return instance.request(config);
  }

  // Not `async`: every successful response passes through here and should not pay for a promise.
  function renewOnUnauthorizedResponse(response: AxiosResponse): AxiosResponse | Promise<AxiosResponse> {
    // Reached only when validateStatus accepts 401: the caller still gets one renewal and retry.
    if (response.status !== 401) return response;
    return renewAndRetry(response.config, response.status).then((retried) => retried ?? response);
  }

  async function renewOnUnauthorizedError(error: unknown): Promise<AxiosResponse> {
    if ((error as { isAxiosError?: unknown } | null)?.isAxiosError !== true) throw error;
    const { config, response } = error as { config?: InternalAxiosRequestConfig; response?: AxiosResponse };
    const retried = await renewAndRetry(config, response?.status);
    if (retried === undefined) throw error;
    return retried;
  }

  const requestId = instance.interceptors.request.use(authenticateRequest);
  const responseId = instance.interceptors.response.use(renewOnUnauthorizedResponse, renewOnUnauthorizedError);
  let ejected = false;
  return {
    eject() {
      if (ejected) return;
      ejected = true;
      instance.interceptors.request.eject(requestId);
      instance.interceptors.response.eject(responseId);
    },
  };
}
