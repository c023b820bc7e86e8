/**
 * The shared case table (`ADAPTER_CASES`) through the Express adapter, on Express 4 and 5: same status,
 * `WWW-Authenticate` and JSON body as the core.
 */
import { describeAdapterCases } from '@auth/testkit';
import request from 'supertest';
import { EXPRESS_VARIANTS } from './express-variants.js';
import { fixtureApp } from './fixture-app.js';

for (const variant of EXPRESS_VARIANTS) {
  describeAdapterCases(`@auth/express on ${variant.name}`, async (fixture) => {
    const app = fixtureApp(variant, fixture);
    return {
      async request({ method, path, headers }) {
        let req = request(app)[method.toLowerCase() as 'get' | 'post' | 'delete'](path);
        for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
        const res = await req;
        return { status: res.status, headers: res.headers as Record<string, string | undefined>, body: res.body };
      },
      async close() {},
    };
  });
}
