import 'reflect-metadata';
import type { INestApplication, ModuleMetadata } from '@nestjs/common';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';

/** The two platforms every e2e test runs on, as @nestjs/throttler's controller e2e spec does. */
export const PLATFORMS = ['express', 'fastify'] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface AppOptions {
  /** Express only: turn Nest's body parsers off, so handlers see the unread stream. */
  bodyParser?: boolean;
}

/** Compile `metadata` into a module and start it on `platform`, listening on no port (supertest drives it). */
export async function createApp(platform: Platform, metadata: ModuleMetadata, options: AppOptions = {}): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule(metadata).compile();
  const app =
    platform === 'express'
      ? moduleRef.createNestApplication<NestExpressApplication>(new ExpressAdapter(), { logger: false, bodyParser: options.bodyParser ?? true })
      : moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
  await app.init();
  if (platform === 'fastify') await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  return app;
}

/** A supertest agent for the app's server. */
export function http(app: INestApplication) {
  return request(app.getHttpServer());
}
