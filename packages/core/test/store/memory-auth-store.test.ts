import { describeAuthStoreContract } from '@auth/testkit';
import { memoryAuthStore } from '../../src/store/memory-auth-store.js';

describeAuthStoreContract('memoryAuthStore', async () => ({ store: memoryAuthStore(), cleanup: async () => {} }));
