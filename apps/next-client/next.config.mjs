// Builds against the TypeScript source of @auth/next and @auth/core (as packages/next/test/fixture-app
// does), never a stale dist/. Aliases rather than the `@auth/source` condition: Next.js sets its own
// `conditionNames` per layer (react-server...), which would override ours in Server Components.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const packages = path.resolve(here, '../../packages');

/** @type {import('next').NextConfig} */
const config = {
  transpilePackages: ['@auth/next', '@auth/core'],
  // Type errors are caught by `pnpm --filter @auth-demo/next-client typecheck` (tsc), which keeps the
  // build itself fast on small machines.
  typescript: { ignoreBuildErrors: true },
  webpack(webpackConfig) {
    webpackConfig.resolve.alias = {
      ...webpackConfig.resolve.alias,
      '@auth/next$': path.join(packages, 'next/src/index.ts'),
      '@auth/core$': path.join(packages, 'core/src/index.ts'),
    };
    // The package sources use NodeNext specifiers (`./x.js` for `./x.ts`).
    webpackConfig.resolve.extensionAlias = { ...webpackConfig.resolve.extensionAlias, '.js': ['.ts', '.tsx', '.js'] };
    return webpackConfig;
  },
};

export default config;
