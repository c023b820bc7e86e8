import { Controller, Get, HttpException, Inject } from '@nestjs/common';
import { type AuthClient, CurrentPrincipal, InjectAuthClient, type Principal, Public, Scopes } from '@auth/nestjs';

/** Injection token of {@link InsightsSettings}. */
export const INSIGHTS_SETTINGS = Symbol('nest-api:insights-settings');

export interface InsightsSettings {
  /** Base URL of fastify-api, whose `/reports` the insights are built from. */
  fastifyApiUrl: string;
}

/** The name the fastify-api client is registered under in `AuthClientModule`. */
export const FASTIFY_API_CLIENT = 'fastify-api';

/** What `/insights` answers. */
export interface InsightsBody {
  service: 'nest-api';
  caller: { method: string; userId: string | null; clientId: string | null; scopes: readonly string[] };
  insights: { campaignCount: number; busiest: string | null };
  upstream: { url: string; status: number; reportedBy: string | null; upstreamCaller: { clientId: string | null } | null };
}

@Controller()
export class InsightsController {
  constructor(
    @InjectAuthClient(FASTIFY_API_CLIENT) private readonly fastifyApi: AuthClient,
    @Inject(INSIGHTS_SETTINGS) private readonly settings: InsightsSettings,
  ) {}

  @Public()
  @Get('health')
  health() {
    return { ok: true, service: 'nest-api' };
  }

  /** Protected by the global AuthGuard: a provider token (or API key) holding `campaigns:read`. */
  @Scopes('campaigns:read')
  @Get('insights')
  async insights(@CurrentPrincipal() principal: Principal): Promise<InsightsBody> {
    const url = `${this.settings.fastifyApiUrl.replace(/\/$/, '')}/reports`;
    // nest-api's own client_credentials token, from the core's token manager (cached, renewed on 401).
    const res = await this.fastifyApi.fetch(url, { headers: { accept: 'application/json' } });
    const body = (await res.json().catch(() => null)) as {
      service?: string;
      caller?: { clientId: string | null };
      report?: { campaignCount: number; campaigns: { name?: string }[] };
    } | null;
    if (!res.ok || !body?.report) {
      throw new HttpException(
        { error: 'upstream_error', error_description: `fastify-api answered ${res.status}`, upstream: { url, status: res.status } },
        502,
      );
    }
    return {
      service: 'nest-api',
      caller: { method: principal.method, userId: principal.userId, clientId: principal.clientId, scopes: principal.scopes },
      insights: { campaignCount: body.report.campaignCount, busiest: body.report.campaigns[0]?.name ?? null },
      upstream: { url, status: res.status, reportedBy: body.service ?? null, upstreamCaller: body.caller ?? null },
    };
  }
}
