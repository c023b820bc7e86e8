import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTER_CASES, coreReference } from '../src/adapter-cases.js';
import { type AdapterFixture, createAdapterFixture } from '../src/adapter-fixture.js';

// The table is only worth sharing if the core itself agrees with it.
describe('shared adapter cases against the core directly', () => {
  let fixture: AdapterFixture;
  beforeAll(async () => {
    fixture = await createAdapterFixture();
  });
  afterAll(() => fixture.close());
  for (const c of ADAPTER_CASES) {
    it(c.name, async () => {
      const res = await coreReference(fixture, c);
      expect(res.status).toBe(c.status);
      if (c.error) expect((res.body as { error: string }).error).toBe(c.error);
      if (c.principalMethod) expect((res.body as { method: string }).method).toBe(c.principalMethod);
      // Every 401 carries a challenge for the scheme that failed, in the fixture's realm.
      if (res.status === 401) expect(res.headers['www-authenticate']).toMatch(/^(Bearer|ApiKey|Secret|Cookie) realm="fixture"/);
    });
  }
});
