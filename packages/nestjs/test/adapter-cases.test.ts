import 'reflect-metadata';
import { type AdapterHarness, describeAdapterCases } from '@auth/testkit';
import { AuthModule } from '../src/index.js';
import { FixtureController } from './fixture-controller.js';
import { createApp, http, PLATFORMS } from './nest-app.js';

for (const platform of PLATFORMS) {
  describeAdapterCases(`@auth/nestjs on ${platform}`, async (fixture): Promise<AdapterHarness> => {
    const app = await createApp(platform, {
      imports: [AuthModule.forRoot({ server: fixture.auth, globalGuard: true })],
      controllers: [FixtureController],
    });
    return {
      async request({ method, path, headers }) {
        let req = http(app)[method.toLowerCase() as 'get' | 'post' | 'delete'](path);
        for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
        const res = await req;
        return { status: res.status, headers: res.headers as Record<string, string>, body: res.body };
      },
      close: () => app.close(),
    };
  });
}
