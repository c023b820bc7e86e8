/**
 * Property-based attacks on the core: header parsing, form bodies, the secret checksum, cookie unsealing
 * and the token endpoint. `FUZZ_RUNS=200000` for a long local run.
 */
import { describeFuzz } from '../../testkit/src/index.js';

describeFuzz('core', null);
