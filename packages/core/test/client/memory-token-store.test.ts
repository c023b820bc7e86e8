import { tokenStoreContract } from '@auth/testkit';
import { memoryTokenStore } from '../../src/client/index.js';

tokenStoreContract('memoryTokenStore', () => memoryTokenStore());
