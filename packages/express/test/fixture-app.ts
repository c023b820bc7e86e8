/**
 * The shared adapter test app: FIXTURE_ROUTES registered the Express way.
 */
import { type AdapterFixture, FIXTURE_ROUTES, principalBody } from '@auth/testkit';
import type { Express } from 'express';
import { authenticate } from '../src/index.js';
import type { ExpressVariant } from './express-variants.js';

export function fixtureApp(variant: ExpressVariant, fixture: AdapterFixture): Express {
  const app = variant.express();
  for (const [path, route] of Object.entries(FIXTURE_ROUTES) as [string, { public?: boolean; scopes?: readonly string[]; allow?: readonly never[] }][]) {
    const handler = (req: Express['request'], res: Express['response']) => {
      res.json(route.public ? { ok: true } : principalBody(req.auth!));
    };
    if (route.public) {
      app.get(path, handler);
      app.post(path, handler);
      continue;
    }
    const guard = authenticate(fixture.auth, { scopes: route.scopes, allow: route.allow });
    app.get(path, guard, handler);
    app.post(path, guard, handler);
    app.delete(path, guard, handler);
  }
  return app;
}
