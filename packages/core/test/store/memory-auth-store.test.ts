import { describeAuthStoreContract } from '../../../testkit/src/index.js';
import { memoryAuthStore } from '../../src/store/memory-auth-store.js';

describeAuthStoreContract('memoryAuthStore', async () => ({ store: memoryAuthStore(), cleanup: async () => {} }));
