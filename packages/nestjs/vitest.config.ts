import swc from 'unplugin-swc';
import { packageProject } from '../../tooling/vitest.js';

// esbuild (vitest's default transform) does not emit decorator metadata; Nest's constructor injection by
// type needs it, so the tests compile TypeScript with SWC's legacy decorators instead.
export default packageProject('nestjs', {
  plugins: [
    swc.vite({
      module: { type: 'es6' },
      jsc: { target: 'es2022', transform: { legacyDecorator: true, decoratorMetadata: true } },
    }),
  ],
});
