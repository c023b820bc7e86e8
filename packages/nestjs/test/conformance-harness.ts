/** The conformance harness for Nest: AuthModule with the global guard and the mounted authorization server. */
import 'reflect-metadata';
import type { AdapterFixture, ConformanceHarness, WireRequest } from '@auth/testkit';
import { AuthModule } from '../src/index.js';
import { FixtureController } from './fixture-controller.js';
import { type AppOptions, createApp, http, type Platform } from './nest-app.js';

export async function conformanceHarness(platform: Platform, fixture: AdapterFixture, options: AppOptions = {}): Promise<ConformanceHarness> {
  const app = await createApp(platform, {
    imports: [AuthModule.forRoot({ server: fixture.auth, authorizationServer: true, globalGuard: true })],
    controllers: [FixtureController],
  }, options);
  const send = async ({ method, path, headers, body }: WireRequest) => {
    let req = http(app)[method.toLowerCase() as 'get' | 'post'](path).buffer(true).parse((res, done) => {
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
  return { resource: send, authorizationServer: send, close: () => app.close() };
}
