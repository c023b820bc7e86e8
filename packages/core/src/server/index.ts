export * from './store.js';
export * from './principal.js';
export {
  createServerContext,
  createInvalidationBus,
  type AccountsAdapter,
  type InvalidationBus,
  type InvalidationEvent,
  type Lifetimes,
  type Logger,
  type ServerContext,
  type ServerCoreOptions,
} from './context.js';
export { createAuthServer, type AuthServer, type AuthServerOptions } from './auth-server.js';
// Module exports are added by each area (verify/, credentials/, cookies/, oauth/).
