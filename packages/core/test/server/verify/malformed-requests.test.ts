import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChallengeError, InvalidRequestError } from '../../../src/errors.js';
import type { HeaderAccessor } from '../../../src/server/verify/header-accessor.js';
import { headers, rendered, setup } from './fixtures.js';

async function world() {
  const s = setup({ methods: { apiKey: true, bearer: true, secret: true, cookie: true } });
  const key = await s.managers.apiKeys.create({ name: 'k', userId: 'u1', businessId: 'b1', scopes: ['read'] });
  const pat = await s.managers.personalTokens.create({ name: 't', userId: 'u1', scopes: ['read'] });
  return { ...s, key: key.secret, pat: pat.secret };
}

async function expect400(promise: Promise<unknown>, description?: RegExp) {
  const r = await rendered(promise);
  expect(r.error).toBeInstanceOf(InvalidRequestError);
  expect(r.status).toBe(400);
  expect(r.body.error).toBe('invalid_request');
  expect(r.headers['www-authenticate']).toMatch(/error="invalid_request"/);
  if (description) expect(r.body.error_description).toMatch(description);
  return r;
}

describe('malformed and ambiguous requests are 400 invalid_request, never 500', () => {
  it('refuses two credentials in one request', async () => {
    const { verifier, key, pat } = await world();
    await expect400(
      verifier.verify(headers({ authorization: `Bearer ${pat}`, 'x-api-key': key, 'x-business-id': 'b1', 'x-user-id': 'u1' })),
      /exactly one credential/,
    );
  });

  it('refuses duplicated headers, joined by Node with ", " or passed as arrays', async () => {
    const { verifier, key, pat } = await world();
    const triple = { 'x-business-id': 'b1', 'x-user-id': 'u1' };
    await expect400(verifier.verify(headers({ 'x-api-key': `${key}, ${key}`, ...triple })), /more than once/);
    await expect400(verifier.verify(headers({ 'x-api-key': [key, key], ...triple })), /more than once/);
    await expect400(verifier.verify(headers({ 'x-api-key': key, 'x-business-id': 'b1, b2', 'x-user-id': 'u1' })), /X-BUSINESS-ID/);
    await expect400(verifier.verify(headers({ authorization: [`Bearer ${pat}`, `Bearer ${pat}`] })));
    await expect400(verifier.verify(headers({ authorization: `Bearer ${pat}, Bearer ${pat}` })));
  });

  it('accepts a one-element array as the value', async () => {
    const { verifier, pat } = await world();
    await expect(verifier.verify(headers({ authorization: [`Bearer ${pat}`] }))).resolves.toMatchObject({
      method: 'personal_token',
    });
  });

  it('refuses empty credentials and spaces inside a token', async () => {
    const { verifier, key } = await world();
    await expect400(verifier.verify(headers({ authorization: '' })), /empty/);
    await expect400(verifier.verify(headers({ authorization: 'Bearer' })), /empty/);
    await expect400(verifier.verify(headers({ authorization: 'Bearer    ' })), /empty/);
    await expect400(verifier.verify(headers({ authorization: 'Bearer abc def' })), /malformed/);
    await expect400(verifier.verify(headers({ 'x-api-key': '', 'x-business-id': 'b1', 'x-user-id': 'u1' })), /empty/);
    await expect400(verifier.verify(headers({ 'x-api-key': `  ${key} x`, 'x-business-id': 'b1', 'x-user-id': 'u1' })), /malformed/);
    await expect400(verifier.verify(headers({ 'x-api-key': key, 'x-business-id': 'b 1', 'x-user-id': 'u1' })), /malformed/);
    // Surrounding whitespace is trimmed, as HTTP parsers do.
    await expect(verifier.verify(headers({ 'x-api-key': ` ${key}\t`, 'x-business-id': 'b1 ', 'x-user-id': 'u1' }))).resolves.toBeTruthy();
  });

  it('refuses control and non-ASCII characters without echoing them', async () => {
    const { verifier, pat } = await world();
    const r = await expect400(verifier.verify(headers({ authorization: `Bearer ${pat}\u0000` })), /not allowed/);
    expect(JSON.stringify(r.body)).not.toContain(pat);
    await expect400(verifier.verify(headers({ authorization: 'Bearer tökén' })));
    await expect400(verifier.verify(headers({ authorization: 'Bearer abc\r\nx-evil: 1' })));
    await expect400(verifier.verify(headers({ 'x-api-key': 'ak_x', 'x-business-id': 'b1', 'x-user-id': 'ü' })));
  });

  it('refuses oversize values before any work', async () => {
    const s = await world();
    s.counted.reset();
    await expect400(s.verifier.verify(headers({ authorization: `Bearer ${'a'.repeat(5000)}` })), /too long/);
    await expect400(s.verifier.verify(headers({ 'x-api-key': 'a'.repeat(300), 'x-business-id': 'b1', 'x-user-id': 'u1' })), /too long/);
    expect(s.counted.total()).toBe(0);
  });

  it('refuses a header accessor that returns something other than strings', async () => {
    const { verifier } = await world();
    const weird = ((name: string) => (name === 'authorization' ? 42 : undefined)) as unknown as HeaderAccessor;
    await expect400(verifier.verify(weird));
  });

  it('fuzz: arbitrary header values always end in a 4xx challenge error', async () => {
    const { verifier, key, pat } = await world();
    const value = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constantFrom(key, pat, `${key}, ${key}`, '', ' ', 'Bearer', 'Secret  ', 'bearer \t x'),
      fc.tuple(fc.constantFrom('Bearer ', 'Secret ', 'Basic ', 'bearer'), fc.string({ maxLength: 60 })).map(([a, b]) => a + b),
      fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            authorization: value,
            'x-api-key': value,
            'x-business-id': value,
            'x-user-id': value,
            cookie: value,
          },
          { requiredKeys: [] },
        ),
        fc.constantFrom('GET', 'POST', undefined),
        async (h, httpMethod) => {
          // A valid key with the right ids is the one combination that may pass.
          const exact = h['x-api-key'] === key && h['x-business-id'] === 'b1' && h['x-user-id'] === 'u1';
          try {
            await verifier.verify(headers(h), { httpMethod });
            return exact || (h.authorization !== undefined && String(h.authorization).includes(pat));
          } catch (err) {
            return err instanceof ChallengeError && err.status >= 400 && err.status < 500;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
