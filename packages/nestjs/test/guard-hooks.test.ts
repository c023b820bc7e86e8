import 'reflect-metadata';
import { type AdapterFixture, createAdapterFixture } from '@auth/testkit';
import { Controller, type ExecutionContext, ForbiddenException, Get, type INestApplication, Injectable, UseGuards } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthGuard, AuthModule, type AuthRequestContext, CurrentPrincipal, type Principal, requestContext } from '../src/index.js';
import { createApp, http, PLATFORMS } from './nest-app.js';

/** Overrides every hook: credentials from `x-forwarded-token`, a business check, a custom error. */
@Injectable()
class TenantGuard extends AuthGuard {
  protected override getRequestContext(context: ExecutionContext): AuthRequestContext {
    const base = requestContext(this.getRequest(context));
    const forwarded = base.getHeader('x-forwarded-token');
    return {
      ...base,
      getHeader: (name) => (name === 'authorization' && typeof forwarded === 'string' ? `Bearer ${forwarded}` : base.getHeader(name)),
    };
  }

  protected override async onAuthenticated(principal: Principal, context: ExecutionContext): Promise<void> {
    if (principal.businessId !== 'b_1') throw new ForbiddenException('wrong tenant');
    await super.onAuthenticated(principal, context);
    (this.getRequest(context) as { tenant?: string }).tenant = principal.businessId;
  }

  protected override handleError(error: unknown, context: ExecutionContext): boolean {
    // A route listed here lets anonymous callers through; everything else keeps the core's answer.
    if (context.getHandler().name === 'anonymousOk') return true;
    return super.handleError(error, context) as boolean;
  }
}

@UseGuards(TenantGuard)
@Controller('tenant')
class TenantController {
  @Get('me')
  me(@CurrentPrincipal('userId') userId: string | null, @CurrentPrincipal() principal: Principal | null) {
    return { userId, method: principal?.method ?? null };
  }

  @Get('anonymous')
  anonymousOk(@CurrentPrincipal() principal: Principal | null) {
    return { principal };
  }
}

for (const platform of PLATFORMS) {
  describe(`AuthGuard hooks overridden by a subclass on ${platform}`, () => {
    let fixture: AdapterFixture;
    let app: INestApplication;
    let otherTenantPat: string;

    beforeAll(async () => {
      fixture = await createAdapterFixture({
        accounts: { permissions: async (user) => (user === 'u_1' ? ['read', 'write'] : null) },
      });
      otherTenantPat = (await fixture.auth.personalTokens.create({ name: 'b2', userId: 'u_1', businessId: 'b_2', scopes: ['read'] })).secret;
      app = await createApp(platform, {
        imports: [AuthModule.forRoot({ server: fixture.auth })],
        controllers: [TenantController],
        providers: [TenantGuard],
      });
    });
    afterAll(async () => {
      await app?.close();
      await fixture?.close();
    });

    it('getRequestContext: reads the credential from another header', async () => {
      const res = await http(app).get('/tenant/me').set('x-forwarded-token', fixture.values.pat);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ userId: 'u_1', method: 'personal_token' });
    });

    it('onAuthenticated: refuses a principal of another business with its own exception', async () => {
      const res = await http(app).get('/tenant/me').set('authorization', `Bearer ${otherTenantPat}`);
      expect(res.status).toBe(403);
      expect(res.body.message).toBe('wrong tenant');
    });

    it('handleError: keeps the core answer by default', async () => {
      const res = await http(app).get('/tenant/me');
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="fixture"');
      expect(res.body).toEqual({ error: 'invalid_token', error_description: 'Authentication is required' });
    });

    it('handleError: can let a request through', async () => {
      const res = await http(app).get('/tenant/anonymous');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ principal: null });
    });
  });
}
