/**
 * `req.auth` without a property added to each request: an accessor on Express' base request prototype,
 * the value in `res.locals` under a symbol. Reading and assigning it must behave as a plain property.
 */
import { IncomingMessage } from 'node:http';
import type { Principal } from '@auth/core';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { authenticate, createAuthServer, memoryAuthStore } from '../src/index.js';
import { requestSlot } from '../src/request-slot.js';

const setPrincipal = requestSlot<Principal>('auth');
import { EXPRESS_VARIANTS } from './express-variants.js';

const auth = createAuthServer({
  issuer: 'http://127.0.0.1',
  store: memoryAuthStore(),
  secrets: ['express-principal-slot-secret-0123456789-ab'],
  methods: { bearer: true },
});
afterAll(() => auth.close());
const token = auth.personalTokens.create({ name: 't', userId: 'u1', scopes: ['read'] }).then((r) => `Bearer ${r.secret}`);

for (const variant of EXPRESS_VARIANTS) {
  describe(`req.auth on ${variant.name}`, () => {
    it('is the principal in the handler, without being an own property of the request', async () => {
      const app = variant.express();
      app.get('/me', authenticate(auth), (req, res) => {
        res.json({ userId: req.auth?.userId ?? null, own: Object.hasOwn(req, 'auth'), inLocals: Object.keys(res.locals) });
      });
      const res = await request(app).get('/me').set('authorization', await token);
      expect(res.body).toEqual({ userId: 'u1', own: false, inLocals: [] });
    });

    it('is seen inside a mounted sub-app and by the parent after it, and is per request', async () => {
      const app = variant.express();
      const sub = variant.express();
      sub.use(authenticate(auth, { optional: true }));
      sub.get('/inside', (req, _res, next) => {
        // Passed on to the parent app, which answers.
        req.headers['x-seen-inside'] = req.auth?.userId ?? 'none';
        next();
      });
      app.use('/sub', sub);
      app.get('/sub/inside', (req, res) => {
        res.json({ inside: req.headers['x-seen-inside'], after: req.auth?.userId ?? null });
      });
      const signed = await request(app).get('/sub/inside').set('authorization', await token);
      expect(signed.body).toEqual({ inside: 'u1', after: 'u1' });
      const anonymous = await request(app).get('/sub/inside');
      expect(anonymous.body).toEqual({ inside: 'none', after: null });
    });

    it("keeps an application's own assignments, before and after authenticate", async () => {
      const app = variant.express();
      const mine = { kind: 'mine' } as unknown as Principal;
      app.get(
        '/mine',
        (req, _res, next) => {
          req.auth = mine;
          next();
        },
        (req, res) => {
          res.json({ before: req.auth === mine });
        },
      );
      app.get('/replaced', authenticate(auth), (req, res) => {
        const verified = req.auth?.userId;
        req.auth = mine;
        res.json({ verified, after: req.auth === mine });
      });
      expect((await request(app).get('/mine')).body).toEqual({ before: true });
      expect((await request(app).get('/replaced').set('authorization', await token)).body).toEqual({ verified: 'u1', after: true });
    });
  });
}

describe('setPrincipal outside Express', () => {
  it('sets a plain own property on a request whose prototype chain is not an Express one', () => {
    const fake: { auth?: unknown } = {};
    const principal = { kind: 'user' } as unknown as Principal;
    setPrincipal(fake, principal);
    expect(Object.getOwnPropertyDescriptor(fake, 'auth')?.value).toBe(principal);
  });

  it('leaves a base prototype that already defines auth alone', () => {
    const base = Object.create(IncomingMessage.prototype, {
      auth: { value: 'theirs', writable: true, configurable: true, enumerable: false },
    }) as object;
    const req = Object.create(Object.create(base)) as { auth?: unknown; res?: unknown };
    req.res = { locals: {} };
    const principal = { kind: 'user' } as unknown as Principal;
    setPrincipal(req, principal);
    expect(Object.getOwnPropertyDescriptor(base, 'auth')?.value).toBe('theirs');
    expect(Object.hasOwn(req, 'auth')).toBe(true);
    expect(req.auth).toBe(principal);
  });
});

describe('req.auth and res.locals', () => {
  it('survives a spread copy of res.locals, and is gone with a fresh one', async () => {
    const variant = EXPRESS_VARIANTS[0]!;
    const app = variant.express();
    app.get(
      '/copy',
      authenticate(auth),
      (_req, res, next) => {
        res.locals = { ...res.locals, page: 'x' };
        next();
      },
      (req, res) => res.json({ userId: req.auth?.userId ?? null }),
    );
    app.get(
      '/fresh',
      authenticate(auth),
      (_req, res, next) => {
        res.locals = { page: 'x' };
        next();
      },
      (req, res) => res.json({ userId: req.auth?.userId ?? null }),
    );
    expect((await request(app).get('/copy').set('authorization', await token)).body).toEqual({ userId: 'u1' });
    expect((await request(app).get('/fresh').set('authorization', await token)).body).toEqual({ userId: null });
  });
});
