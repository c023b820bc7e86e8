export {};
export { type AuthStoreFixture, describeAuthStoreContract } from './auth-store-contract.js';
