import { defineProject, type UserWorkspaceConfig } from 'vitest/config';

/**
 * Resolve workspace packages to their TypeScript source through the `@auth/source` export condition,
 * so a test never runs a stale `dist/`.
 */
export const sourceConditions = ['@auth/source', 'module', 'node', 'development|production'];

/** Shared per-package test project settings. */
export function packageProject(name: string, extra: UserWorkspaceConfig = {}) {
  const { test, resolve, ssr, ...rest } = extra;
  return defineProject({
    ...rest,
    resolve: { conditions: sourceConditions, ...resolve },
    ssr: { resolve: { conditions: sourceConditions, externalConditions: sourceConditions }, ...ssr },
    test: {
      name,
      environment: 'node',
      include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
      testTimeout: 20_000,
      hookTimeout: 30_000,
      typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
      ...test,
    },
  });
}
