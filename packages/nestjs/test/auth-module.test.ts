import 'reflect-metadata';
import { type AdapterFixture, createAdapterFixture } from '@auth/testkit';
import { Body, Controller, Get, type INestApplication, Inject, Injectable, Module, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AllowMethods,
  AUTH_SERVER,
  AuthModule,
  type AuthServer,
  ConfigError,
  CurrentPrincipal,
  type Principal,
  Public,
  Scopes,
} from '../src/index.js';
import { createApp, http, PLATFORMS } from './nest-app.js';

/** Stands in for a ConfigService: the async factory gets the server from it. */
class AuthConfig {
  constructor(readonly server: AuthServer) {}
}

@Module({})
class ConfigModule {
  static with(server: AuthServer) {
    return { module: ConfigModule, providers: [{ provide: AuthConfig, useValue: new AuthConfig(server) }], exports: [AuthConfig] };
  }
}

/** Injected by type, without @Inject: only works when decorator metadata is emitted. */
@Injectable()
class Greeter {
  greet(name: string | null) {
    return `hello ${name}`;
  }
}

@Scopes('read')
@Controller('notes')
class NotesController {
  constructor(
    private readonly greeter: Greeter,
    @Inject(AUTH_SERVER) private readonly auth: AuthServer,
  ) {}

  @Get()
  list(@CurrentPrincipal('userId') userId: string | null) {
    return { greeting: this.greeter.greet(userId) };
  }

  @Scopes('admin')
  @Get('admin')
  admin() {
    return { ok: true };
  }

  @Public()
  @Get('open')
  open(@CurrentPrincipal() principal: Principal | null) {
    return { principal };
  }

  @AllowMethods('secret', 'personal_token')
  @Get('either')
  either(@CurrentPrincipal('method') method: string) {
    return { method };
  }

  // A core error escaping a handler is rendered by the module's filter, not as a 500.
  @Post('apps')
  async register(@Body('redirectUri') redirectUri: string) {
    return this.auth.clients.register({ name: 'app', type: 'public', redirectUris: [redirectUri] });
  }
}

describe('decorator metadata is emitted', () => {
  it('records constructor parameter types, so Nest injects by type', async () => {
    expect(Reflect.getMetadata('design:paramtypes', NotesController)?.[0]).toBe(Greeter);
    const fixture = await createAdapterFixture();
    const moduleRef = await Test.createTestingModule({
      imports: [AuthModule.forRoot({ server: fixture.auth })],
      controllers: [NotesController],
      providers: [Greeter],
    }).compile();
    expect((moduleRef.get(NotesController) as unknown as { greeter: unknown }).greeter).toBeInstanceOf(Greeter);
    await moduleRef.close();
    await fixture.close();
  });
});

for (const platform of PLATFORMS) {
  describe(`AuthModule.forRootAsync on ${platform}`, () => {
    let fixture: AdapterFixture;
    let app: INestApplication;
    let factoryCalls = 0;

    beforeAll(async () => {
      fixture = await createAdapterFixture();
      const config = ConfigModule.with(fixture.auth);
      app = await createApp(platform, {
        imports: [
          AuthModule.forRootAsync({
            isGlobal: true,
            globalGuard: true,
            imports: [config],
            inject: [AuthConfig],
            useFactory: async (c: AuthConfig) => {
              factoryCalls++;
              return { server: c.server };
            },
          }),
        ],
        controllers: [NotesController],
        providers: [Greeter],
      });
    });
    afterAll(async () => {
      await app?.close();
      await fixture?.close();
    });

    it('builds the options once with the factory and its injected dependency', () => {
      expect(factoryCalls).toBe(1);
      expect(app.get(AUTH_SERVER)).toBe(fixture.auth);
    });

    it('global guard + class-level @Scopes: protected, and a constructor-injected service works', async () => {
      expect((await http(app).get('/notes')).status).toBe(401);
      const res = await http(app).get('/notes').set('authorization', `Bearer ${fixture.values.readOnlyPat}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ greeting: 'hello u_1' });
    });

    it('method @Scopes add to the controller scopes', async () => {
      const res = await http(app).get('/notes/admin').set('authorization', `Bearer ${fixture.values.pat}`);
      expect(res.status).toBe(403);
      expect(res.headers['www-authenticate']).toBe(
        'Bearer realm="fixture", error="insufficient_scope", error_description="The credential lacks the required scope", scope="read admin"',
      );
      expect(res.body).toEqual({ error: 'insufficient_scope', error_description: 'The credential lacks the required scope', scope: 'read admin' });
    });

    it('@Public on a method wins over the controller, and the principal is null', async () => {
      const res = await http(app).get('/notes/open');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ principal: null });
    });

    it('@AllowMethods opens a route to Secret', async () => {
      const secret = await http(app).get('/notes/either').set('authorization', `Secret ${fixture.values.secret}`);
      expect(secret.status).toBe(200);
      expect(secret.body).toEqual({ method: 'secret' });
      const key = await http(app)
        .get('/notes/either')
        .set({ 'x-api-key': fixture.values.apiKey, 'x-business-id': 'b_1', 'x-user-id': 'u_1' });
      expect(key.status).toBe(401);
    });

    it('a core error thrown by a handler is rendered by the filter (status, JSON, no-store)', async () => {
      const res = await http(app)
        .post('/notes/apps')
        .set('authorization', `Bearer ${fixture.values.pat}`)
        .send({ redirectUri: 'ftp://example.com/cb' });
      expect(res.status).toBe(400);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.error).toMatch(/^invalid_/);
      expect(Object.keys(res.body).sort()).toEqual(['error', 'error_description']);
    });
  });
}

describe('AuthModule options are validated at bootstrap', () => {
  it('refuses a missing or wrong server', async () => {
    for (const options of [{}, { server: {} }, { server: { verify: () => null } }]) {
      await expect(
        Test.createTestingModule({ imports: [AuthModule.forRoot(options as never)] }).compile(),
      ).rejects.toBeInstanceOf(ConfigError);
    }
  });

  it('refuses bad decorator arguments when the class is defined', () => {
    expect(() => Scopes('')).toThrow(ConfigError);
    expect(() => Scopes('a b')).toThrow(ConfigError);
    expect(() => AllowMethods()).toThrow(ConfigError);
    expect(() => AllowMethods('password' as never)).toThrow(ConfigError);
  });
});
