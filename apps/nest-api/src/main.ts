/**
 * Entry point: `node --conditions=@auth/source --import tsx apps/nest-api/src/main.ts`, from any working
 * directory.
 *
 * Nest's decorators need the legacy transform (`experimentalDecorators` in this app's tsconfig.json), but
 * tsx applies the tsconfig of the *working directory*: started from the repository root it would compile
 * the controllers with standard decorators and fail on the parameter decorators. So this file has no
 * decorators and loads the app through tsx's API with `tsconfig.runtime.json` named explicitly (legacy
 * decorators for this app's sources and the workspace packages' sources, which @auth/source resolves to).
 */
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

await tsImport('./serve.ts', { parentURL: import.meta.url, tsconfig: fileURLToPath(new URL('../tsconfig.runtime.json', import.meta.url)) });
