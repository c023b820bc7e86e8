/**
 * Per-request options, typed on axios's own config by module augmentation so they can be passed to
 * any axios call.
 *
 * @module
 */
import type {} from 'axios';

declare module 'axios' {
  // The type parameters must match axios's own declaration exactly (axios >= 1.19 has `<D, P>`).
  // biome-ignore lint/suspicious/noExplicitAny: declaration merging requires axios's own defaults
  interface AxiosRequestConfig<D = any, P = any> {
    /**
     * `true`: send this request without the credential and never renew for it (for example a call to
     * a third-party URL, or one that carries its own `Authorization`). Default `false`.
     *
     * @example
     * ```ts
     * await api.get('/public/status', { skipAuth: true });
     * ```
     */
    skipAuth?: boolean;
    /**
     * Delegated tokens: the user or session this request acts for, passed to the credential source
     * (`credential({ subject })`). Overrides the `subject` given to `attach`.
     */
    authSubject?: string;
  }
}
