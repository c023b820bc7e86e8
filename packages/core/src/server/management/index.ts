/**
 * Credential management routes for the signed-in user.
 *
 * @module
 */
export {
  createManagementHandler,
  type ManagementHandler,
  type ManagementRequestOptions,
} from './management-handler.js';
export type { ManagementArea, ManagementOptions } from './management-options.js';
