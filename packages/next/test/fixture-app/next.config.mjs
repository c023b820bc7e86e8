// Builds the fixture against the TypeScript source of @auth/next and @auth/core, never a stale dist/.
// Aliases rather than the `@auth/source` export condition: Next.js sets its own `conditionNames` per
// layer (react-server...), which would override ours in Server Components.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const packages = path.resolve(here, '../../..');

/** @type {import('next').NextConfig} */
const config = {
  transpilePackages: ['@auth/next', '@auth/core'],
  webpack(webpackConfig) {
    webpackConfig.resolve.alias = {
      ...webpackConfig.resolve.alias,
      '@auth/next$': path.join(packages, 'next/src/index.ts'),
      '@auth/core$': path.join(packages, 'core/src/index.ts'),
    };
    // The sources use NodeNext specifiers (`./x.js` for `./x.ts`).
    webpackConfig.resolve.extensionAlias = { ...webpackConfig.resolve.extensionAlias, '.js': ['.ts', '.tsx', '.js'] };
    return webpackConfig;
  },
};

export default config;
