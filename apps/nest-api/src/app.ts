/**
 * The nest-api resource server: `/insights` is protected by @auth/nestjs (global AuthGuard) over the
 * provider's store, with no authorization server of its own, and is built from fastify-api's `/reports`,
 * called through `AuthClientModule` with this service's client_credentials token.
 */
import 'reflect-metadata';
import { type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  AuthClientModule,
  AuthModule,
  type AuthStore,
  clientCredentials,
  createAuthServer,
  createTokenManager,
} from '@auth/nestjs';
import { FASTIFY_API_CLIENT, INSIGHTS_SETTINGS, InsightsController } from './insights.controller.js';

export interface NestApiOptions {
  /** The provider's issuer URL (token endpoint by discovery; tokens are verified under it). */
  issuer: string;
  /** The provider's store. Not closed by the app. */
  store: AuthStore;
  /** The provider's AUTH_SECRET (and previous ones), newest first. */
  secrets: readonly string[];
  /** The provider's AUTH_PEPPER. */
  pepper?: string;
  /** This service's client_credentials client at the provider. */
  machineClient: { clientId: string; clientSecret: string };
  /** Base URL of fastify-api. */
  fastifyApiUrl: string;
  /** For tests: the transport for token requests and the fastify-api call. */
  fetch?: typeof globalThis.fetch;
  /** Nest's logger; default errors and warnings only. */
  logger?: false | ('log' | 'error' | 'warn')[];
}

/** Create the Nest application (not listening). `app.close()` stops it. */
export async function createNestApiApp(options: NestApiOptions): Promise<INestApplication> {
  const server = createAuthServer({
    issuer: options.issuer,
    store: options.store,
    secrets: options.secrets,
    pepper: options.pepper,
    methods: { apiKey: true, bearer: true, realm: 'nest-api' },
  });
  const tokens = createTokenManager(
    clientCredentials({
      issuer: options.issuer,
      clientId: options.machineClient.clientId,
      clientSecret: options.machineClient.clientSecret,
      scope: 'campaigns:read',
      ...(options.fetch ? { fetch: options.fetch } : {}),
    }),
  );

  @Module({
    imports: [
      AuthModule.forRoot({ server, isGlobal: true, globalGuard: true }),
      AuthClientModule.register({ name: FASTIFY_API_CLIENT, source: tokens, ...(options.fetch ? { fetch: options.fetch } : {}) }),
    ],
    controllers: [InsightsController],
    providers: [{ provide: INSIGHTS_SETTINGS, useValue: { fastifyApiUrl: options.fastifyApiUrl } }],
  })
  class NestApiModule {}

  const app = await NestFactory.create(NestApiModule, { logger: options.logger ?? ['error', 'warn'] });
  const close = app.close.bind(app);
  app.close = async () => {
    await close();
    await server.close();
  };
  return app;
}
