import { tokenStoreContract } from '../../../testkit/src/index.js';
import { memoryTokenStore } from '../../src/client/index.js';

tokenStoreContract('memoryTokenStore', () => memoryTokenStore());
