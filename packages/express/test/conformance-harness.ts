/** The conformance harness for Express: one app, fixture routes plus the mounted authorization server. */
import type { AdapterFixture, ConformanceHarness, WireRequest } from '@auth/testkit';
import request from 'supertest';
import type { authorizationServer as AuthorizationServer } from '../src/index.js';
import type { ExpressVariant } from './express-variants.js';
import { fixtureApp } from './fixture-app.js';

export function conformanceHarness(variant: ExpressVariant, fixture: AdapterFixture, authorizationServer: typeof AuthorizationServer): ConformanceHarness {
  const app = variant.express();
  app.use(authorizationServer(fixture.auth));
  app.use(fixtureApp(variant, fixture));
  const send = async ({ method, path, headers, body }: WireRequest) => {
    let req = request(app)[method.toLowerCase() as 'get' | 'post'](path).buffer(true).parse((res, done) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => done(null, text));
    });
    for (const [name, value] of Object.entries(headers)) req = req.set(name, value as string);
    if (body !== undefined) req = req.send(body);
    const res = await req;
    return { status: res.status, headers: res.headers as Record<string, string>, body: typeof res.body === 'string' ? res.body : '' };
  };
  return { resource: send, authorizationServer: send, async close() {} };
}
