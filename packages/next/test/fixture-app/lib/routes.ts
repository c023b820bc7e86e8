// Route module exports, typed the way `next build` checks Route Handlers (RouteHandlerConfig).
import type { NextRequest } from 'next/server';
import { handlers, provider, withAuth } from './auth';

type Handler<Params> = (request: NextRequest, context: { params: Promise<Params> }) => Promise<Response | undefined> | Response | undefined;

export const signInRoutes: { GET: Handler<{ auth: string[] }>; POST: Handler<{ auth: string[] }> } = handlers;
export const providerRoutes: { GET: Handler<{ oauth: string[] }>; POST: Handler<{ oauth: string[] }> } = provider;
export const wellKnown: { GET: Handler<{}> } = provider;

export const meRoute: { GET: Handler<{}> } = {
  GET: withAuth(async (_request, { principal }) => Response.json({ userId: principal.userId, scopes: principal.scopes }), {
    scopes: ['read'],
  }),
};
