/**
 * The guard's warm path: a request the core's warm cache settles skips `verify`; a server spread into a
 * wrapper keeps its own `verify`; the decorators' metadata is read once per route.
 */
import 'reflect-metadata';
import { Controller, Get, type INestApplication, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuthGuard, AuthModule, type AuthServer, createAuthServer, CurrentPrincipal, memoryAuthStore, Scopes } from '../src/index.js';
import { createApp, http, PLATFORMS } from './nest-app.js';

@UseGuards(AuthGuard)
@Controller('warm')
class WarmController {
  @Get('me')
  me(@CurrentPrincipal('userId') userId: string | null) {
    return { userId };
  }

  @Scopes('write')
  @Get('write')
  write(@CurrentPrincipal('userId') userId: string | null) {
    return { userId };
  }
}

for (const platform of PLATFORMS) {
  describe(`AuthGuard warm path on ${platform}`, () => {
    let auth: AuthServer;
    let app: INestApplication;
    let wrappedApp: INestApplication;
    const wrapperCalls: string[] = [];

    beforeAll(async () => {
      auth = createAuthServer({
        issuer: 'http://127.0.0.1',
        store: memoryAuthStore(),
        secrets: ['nest-warm-guard-secret-0123456789-abcdefgh'],
        methods: { bearer: true },
      });
      app = await createApp(platform, { imports: [AuthModule.forRoot({ server: auth })], controllers: [WarmController] });
      const wrapped: AuthServer = {
        ...auth,
        verify: (...args) => {
          wrapperCalls.push('verify');
          return auth.verify(...args);
        },
      };
      wrappedApp = await createApp(platform, { imports: [AuthModule.forRoot({ server: wrapped })], controllers: [WarmController] });
    });
    afterAll(async () => {
      await app?.close();
      await wrappedApp?.close();
      await auth?.close();
    });

    it('answers a warm request without verify; scopes and revocation still refuse it', async () => {
      const { secret, credential } = await auth.personalTokens.create({ name: 't', userId: 'u1', scopes: ['read'] });
      const bearer = `Bearer ${secret}`;
      const verify = vi.spyOn(auth, 'verify');
      try {
        expect((await http(app).get('/warm/me').set('authorization', bearer)).body).toEqual({ userId: 'u1' });
        expect((await http(app).get('/warm/me').set('authorization', bearer)).body).toEqual({ userId: 'u1' });
        expect(verify).toHaveBeenCalledTimes(1);
        expect((await http(app).get('/warm/write').set('authorization', bearer)).status).toBe(403);
        await auth.personalTokens.revoke(credential.id);
        expect((await http(app).get('/warm/me').set('authorization', bearer)).status).toBe(401);
      } finally {
        verify.mockRestore();
      }
    });

    it('calls the verify of a server spread into a wrapper on every request, warm or not', async () => {
      const { secret } = await auth.personalTokens.create({ name: 'w', userId: 'u2', scopes: ['read'] });
      wrapperCalls.length = 0;
      for (let i = 0; i < 3; i++) {
        expect((await http(wrappedApp).get('/warm/me').set('authorization', `Bearer ${secret}`)).body).toEqual({ userId: 'u2' });
      }
      expect(wrapperCalls).toEqual(['verify', 'verify', 'verify']);
    });

    it("reads a route's decorator metadata once, however many requests it serves", async () => {
      const { secret } = await auth.personalTokens.create({ name: 'm', userId: 'u3', scopes: ['read', 'write'] });
      const merge = vi.spyOn(Reflector.prototype, 'getAllAndMerge');
      try {
        expect((await http(app).get('/warm/write').set('authorization', `Bearer ${secret}`)).status).toBe(200);
        merge.mockClear();
        for (let i = 0; i < 3; i++) {
          expect((await http(app).get('/warm/write').set('authorization', `Bearer ${secret}`)).status).toBe(200);
        }
        expect(merge).toHaveBeenCalledTimes(0);
      } finally {
        merge.mockRestore();
      }
    });
  });
}
