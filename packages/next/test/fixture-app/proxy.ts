import { proxy as authProxy } from './lib/auth';

export const proxy = authProxy({ publicPaths: ['/oauth', '/.well-known', '/api', '/whoami'] });

export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'] };
