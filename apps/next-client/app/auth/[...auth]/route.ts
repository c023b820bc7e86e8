// /auth/login, /auth/callback (form_post), /auth/logout (revokes), /auth/session: served by @auth/next.
import { nextAuth } from '../../../lib/auth';

export const dynamic = 'force-dynamic';

export function GET(request: Request): Promise<Response> {
  return nextAuth().handlers.GET(request);
}

export function POST(request: Request): Promise<Response> {
  return nextAuth().handlers.POST(request);
}
