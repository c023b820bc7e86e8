import { packageProject } from '../../tooling/vitest.js';

export default packageProject('cli');
