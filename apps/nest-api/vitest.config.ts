import { packageProject } from '../../tooling/vitest.js';

// Nest's decorators compile with the legacy transform (tsconfig `experimentalDecorators`); no decorator
// metadata is needed because every injection names its token.
export default packageProject('nest-api');
