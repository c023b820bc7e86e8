/**
 * Express 5 app for the verification-overhead benchmark: the same handler unprotected, behind
 * `authenticate()` of @auth/express (opaque-token server and JWT server), behind passport-http-bearer,
 * and behind a middleware that only calls `next()` (what Express itself charges for one more layer).
 */
import type { AddressInfo } from 'node:net';
import { authenticate } from '@auth/express';
import express from 'express';
import passport from 'passport';
import { Strategy as BearerStrategy } from 'passport-http-bearer';
import { CPU_PATH, cpuBody, ready } from '../lib/child.js';
import { createFixture } from '../lib/fixture.js';

const fx = await createFixture();
// The peer's token table, warm in memory: the cheapest lookup a passport user could write.
const users = new Map([[fx.peerToken, { id: 'u_1', scope: ['read'] }]]);
passport.use(new BearerStrategy((token, done) => done(null, users.get(token) ?? false)));

const app = express();
app.disable('x-powered-by');
app.disable('etag');
const handler = (_req: express.Request, res: express.Response) => {
  res.json({ ok: true });
};
app.get(CPU_PATH, (_req, res) => {
  res.json(cpuBody());
});
app.get('/open', handler);
const noop: express.RequestHandler = (_req, _res, next) => next();
app.get('/noop', noop, handler);
app.get('/ours', authenticate(fx.auth), handler);
app.get('/ours-jwt', authenticate(fx.jwtAuth), handler);
app.get('/peer', passport.authenticate('bearer', { session: false }), handler);

const server = app.listen(0, '127.0.0.1', () => {
  ready({ port: (server.address() as AddressInfo).port, creds: fx.creds });
});
server.keepAliveTimeout = 60_000;
