export * from './client-token-server.js';
export * from './client-token-store-contract.js';
export { type AuthStoreFixture, describeAuthStoreContract } from './auth-store-contract.js';
export { nodeToWebRequest, writeWebResponse } from './node-web.js';
export { storeRecords, uid } from './store-records.js';
export * from './adapter-fixture.js';
export * from './adapter-cases.js';
export * from './conformance/index.js';
