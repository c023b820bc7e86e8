import { defineConfig, type Options } from 'tsup';

/**
 * The one build config every published package uses: ESM + CJS with types for both,
 * sourcemaps, no bundling of dependencies. Call it from a package's `tsup.config.ts`.
 */
export function packageBuild(entry: Options['entry'] = ['src/index.ts'], extra: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
    treeshake: true,
    ...extra,
  });
}
