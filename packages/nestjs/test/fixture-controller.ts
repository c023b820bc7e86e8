import { principalBody } from '@auth/testkit';
import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { AllowMethods, CurrentPrincipal, type Principal, Public, Scopes } from '../src/index.js';

/** FIXTURE_ROUTES, the Nest way. */
@Controller()
export class FixtureController {
  @Public()
  @Get('public')
  publicRoute() {
    return { ok: true };
  }

  @Get('me')
  me(@CurrentPrincipal() principal: Principal) {
    return principalBody(principal);
  }

  @Scopes('write')
  @Post('items')
  @HttpCode(200)
  items(@CurrentPrincipal() principal: Principal) {
    return principalBody(principal);
  }

  @AllowMethods('secret')
  @Get('secret-only')
  secretOnly(@CurrentPrincipal() principal: Principal) {
    return principalBody(principal);
  }
}
