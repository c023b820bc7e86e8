export * from './client-token-server.js';
export * from './client-token-store-contract.js';
export { type AuthStoreFixture, describeAuthStoreContract } from './auth-store-contract.js';
