/**
 * `toWebRequest` / `sendWebResponse`: the public origin (Host, or X-Forwarded-* only from a trusted
 * proxy), the full original URL under a mount prefix, parsed or unread bodies, and several Set-Cookie.
 */
import type express5 from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { sendWebResponse, toWebRequest } from '../src/index.js';
import { EXPRESS_VARIANTS } from './express-variants.js';

for (const variant of EXPRESS_VARIANTS) {
  describe(`toWebRequest on ${variant.name}`, () => {
    const build = (trustProxy: boolean, parse: boolean) => {
      const app = variant.express();
      if (trustProxy) app.set('trust proxy', 'loopback');
      if (parse) app.use((variant.express as typeof express5).json());
      const router = (variant.express as typeof express5).Router();
      router.all('/echo', async (req, res, next) => {
        try {
          const { request: web, body } = toWebRequest(req);
          const streamed = body === undefined && web.body ? await web.text() : null;
          res.json({ url: web.url, method: web.method, body: body ?? null, streamed, custom: web.headers.get('x-custom') });
        } catch (err) {
          next(err);
        }
      });
      app.use('/mounted', router);
      return app;
    };

    it('uses Host and ignores X-Forwarded-* unless the proxy is trusted', async () => {
      const headers = { host: 'api.example.com:8443', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' };
      const untrusted = await request(build(false, false)).get('/mounted/echo?a=1').set(headers);
      expect(untrusted.body.url).toBe('http://api.example.com:8443/mounted/echo?a=1');
      const trusted = await request(build(true, false)).get('/mounted/echo?a=1').set(headers);
      expect(trusted.body.url).toBe('https://evil.example/mounted/echo?a=1');
    });

    it('keeps a `//` path a path, and copies headers', async () => {
      const res = await request(build(false, false)).get('/mounted/echo').set('x-custom', 'v');
      expect(res.body).toMatchObject({ method: 'GET', custom: 'v', body: null, streamed: null });
      const app = variant.express();
      app.use((req, res) => {
        res.json({ url: toWebRequest(req).request.url });
      });
      const slashes = await request(app).get('//other.example/x').set('host', 'api.example.com');
      expect(new URL(slashes.body.url).host).toBe('api.example.com');
    });

    it('hands over a parsed body, or leaves the stream for the core to read', async () => {
      const parsed = await request(build(false, true)).post('/mounted/echo').send({ a: 1 });
      expect(parsed.body).toMatchObject({ method: 'POST', body: { a: 1 }, streamed: null });
      const raw = await request(build(false, false)).post('/mounted/echo').type('form').send('a=1&a=2');
      expect(raw.body).toMatchObject({ body: null, streamed: 'a=1&a=2' });
    });
  });

  describe(`sendWebResponse on ${variant.name}`, () => {
    it('sends status, headers, every Set-Cookie and the body; no body for HEAD', async () => {
      const app = variant.express();
      app.all('/r', (req, res, next) => {
        const headers = new Headers({ location: '/next', 'x-a': '1' });
        headers.append('set-cookie', 'a=1; Path=/');
        headers.append('set-cookie', 'b=2; Path=/');
        headers.append('set-cookie', 'c=3; Path=/');
        sendWebResponse(res, new Response('moved', { status: 303, headers }), req.method).catch(next);
      });
      const res = await request(app).get('/r').redirects(0);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/next');
      expect(res.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/', 'c=3; Path=/']);
      expect(res.text).toBe('moved');
      const head = await request(app).head('/r').redirects(0);
      expect(head.status).toBe(303);
      expect(head.text ?? '').toBe('');
    });
  });
}
