/**
 * `@auth/core`: API authentication on both sides of the wire.
 *
 * - Client half (calling APIs): credential sources for every scheme, OAuth 2.0 grants, a single-flight
 *   token manager with refresh-token rotation, `authFetch`.
 * - Server half (being an API): `createAuthServer` with `verify`, credential lifecycle and an OAuth 2.0
 *   authorization server as a Web `Request -> Response` handler.
 *
 * @module
 */
export * from './errors.js';
export * from './crypto/index.js';
export { toMs, type Duration } from './util/duration.js';
export * from './server/index.js';
export * from './client/index.js';
export { memoryAuthStore } from './store/memory-auth-store.js';
