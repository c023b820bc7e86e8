/**
 * `@auth/axios`: authenticate an axios instance with any credential source from `@auth/core`, renew
 * once on 401 through the core's single-flight token manager, keep credentials on their origin.
 *
 * Re-exports `@auth/core`, so credential sources, grants and errors come from one import.
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { apiKey, attach } from '@auth/axios';
 *
 * const api = axios.create({ baseURL: 'https://api.example.com' });
 * attach(api, apiKey({ key: process.env.API_KEY!, businessId: 'b_1', userId: 'u_1' }));
 * ```
 *
 * @module
 */
export * from '@auth/core';
export { type AttachedAuth, type AttachOptions, attach } from './attach.js';
export { REDACTED } from './redact-config.js';
import './request-config.js';
