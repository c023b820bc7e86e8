import { describe, expect, it } from 'vitest';
import { parseSecret } from '../../../src/crypto/token-format.js';
import { authenticateClientSecret } from '../../../src/server/credentials/client-secret.js';
import { headers, rendered, setup } from '../verify/fixtures.js';

const HOUR = 3_600_000;

describe('Secret credentials (seed 003): rotation with overlap', () => {
  it('keeps the old secret working until the overlap ends, even with a warm cache', async () => {
    const s = setup();
    const old = await s.managers.secrets.create({ name: 'dev', userId: 'u1', scopes: ['read'] });
    expect(parseSecret(old.secret)).toEqual({ prefix: 'sk' });
    const as = (secret: string) => s.verifier.verify(headers({ authorization: `Secret ${secret}` }), { allow: ['secret'] });
    await as(old.secret);
    const fresh = await s.managers.secrets.regenerate(old.credential.id, { overlap: '1h' });
    await expect(as(fresh.secret)).resolves.toMatchObject({ credentialId: fresh.credential.id });
    s.advance(HOUR - 1);
    await expect(as(old.secret)).resolves.toMatchObject({ credentialId: old.credential.id });
    s.advance(1);
    expect((await rendered(as(old.secret))).status).toBe(401);
    await expect(as(fresh.secret)).resolves.toBeTruthy();
  });

  it('without an overlap revokes the old secret at once', async () => {
    const s = setup();
    const old = await s.managers.secrets.create({ name: 'dev', userId: 'u1', scopes: [] });
    await s.managers.secrets.regenerate(old.credential.id);
    const r = await rendered(s.verifier.verify(headers({ authorization: `Secret ${old.secret}` }), { allow: ['secret'] }));
    expect(r.status).toBe(401);
    expect((await s.managers.secrets.get(old.credential.id))?.revokedAt).not.toBeNull();
  });

  it('never lengthens an old secret that expires before the overlap would end', async () => {
    const s = setup();
    const old = await s.managers.secrets.create({ name: 'dev', userId: 'u1', scopes: [], expiresIn: '10m' });
    await s.managers.secrets.regenerate(old.credential.id, { overlap: '1h' });
    expect((await s.managers.secrets.get(old.credential.id))?.expiresAt).toBe(old.credential.expiresAt);
  });

  it('requires an owner and an active client', async () => {
    const s = setup();
    await expect(s.managers.secrets.create({ name: 'x', scopes: [] })).rejects.toMatchObject({ status: 400 });
    await expect(s.managers.secrets.create({ name: 'x', clientId: 'nope', scopes: [] })).rejects.toMatchObject({ status: 400 });
    await expect(s.managers.secrets.regenerate('nope', { overlap: 'soon' as never })).rejects.toMatchObject({ status: 400 });
  });
});

describe('OAuth client secrets', () => {
  async function confidential() {
    const s = setup();
    const reg = await s.managers.clients.register({
      name: 'Reporting backend',
      type: 'confidential',
      redirectUris: ['https://reports.example.com/callback'],
    });
    return { ...s, reg, clientId: reg.client.clientId };
  }

  it('authenticates the current secret of the right client only', async () => {
    const { ctx, reg, clientId, managers } = await confidential();
    expect(parseSecret(reg.clientSecret)).toEqual({ prefix: 'cs' });
    expect(await authenticateClientSecret(ctx, clientId, reg.clientSecret)).toBe(true);
    const other = await managers.clients.register({ name: 'Other', type: 'confidential', redirectUris: ['https://o.example.com/cb'] });
    expect(await authenticateClientSecret(ctx, other.client.clientId, reg.clientSecret)).toBe(false);
    expect(await authenticateClientSecret(ctx, clientId, ctx.newSecret('clientSecret'))).toBe(false);
    expect(await authenticateClientSecret(ctx, clientId, 'wJalrXUtnFEMI0O6JX5MCkmbs6JqPcx3')).toBe(false);
    expect(await authenticateClientSecret(ctx, clientId, '')).toBe(false);
    expect(await authenticateClientSecret(ctx, '', reg.clientSecret)).toBe(false);
    expect(await authenticateClientSecret(ctx, clientId, undefined as never)).toBe(false);
    const secret = await managers.secrets.create({ name: 'x', clientId, scopes: [] });
    expect(await authenticateClientSecret(ctx, clientId, secret.secret)).toBe(false);
  });

  it('rotates with an overlap: both secrets work until it ends', async () => {
    const s = await confidential();
    const rotated = await s.managers.clients.rotateSecret(s.clientId, { overlap: '24h' });
    expect(await authenticateClientSecret(s.ctx, s.clientId, rotated.clientSecret)).toBe(true);
    expect(await authenticateClientSecret(s.ctx, s.clientId, s.reg.clientSecret)).toBe(true);
    s.advance(24 * HOUR);
    expect(await authenticateClientSecret(s.ctx, s.clientId, s.reg.clientSecret)).toBe(false);
    expect(await authenticateClientSecret(s.ctx, s.clientId, rotated.clientSecret)).toBe(true);
    const listed = await s.managers.clients.listSecrets(s.clientId);
    expect(listed.map((c) => c.id).sort()).toEqual([rotated.secret.id, s.reg.secret.id].sort());
    expect(JSON.stringify(listed)).not.toContain(rotated.clientSecret);
  });

  it('rotates without an overlap: the old secret fails at once', async () => {
    const s = await confidential();
    const rotated = await s.managers.clients.rotateSecret(s.clientId);
    expect(await authenticateClientSecret(s.ctx, s.clientId, s.reg.clientSecret)).toBe(false);
    expect(await authenticateClientSecret(s.ctx, s.clientId, rotated.clientSecret)).toBe(true);
  });

  it('revoking the client makes every secret bound to it fail', async () => {
    const s = await confidential();
    const bound = await s.managers.secrets.create({ name: 'bound', clientId: s.clientId, scopes: [] });
    const h = headers({ authorization: `Secret ${bound.secret}` });
    await expect(s.verifier.verify(h, { allow: ['secret'] })).resolves.toMatchObject({ clientId: s.clientId });
    const revoked = await s.managers.clients.revoke(s.clientId);
    expect(revoked?.revokedAt).not.toBeNull();
    expect(await authenticateClientSecret(s.ctx, s.clientId, s.reg.clientSecret)).toBe(false);
    expect((await rendered(s.verifier.verify(h, { allow: ['secret'] }))).status).toBe(401);
    await expect(s.managers.clients.rotateSecret(s.clientId)).rejects.toMatchObject({ status: 400 });
    expect(await s.managers.clients.revoke('unknown')).toBeNull();
  });

  it('refuses a secret of a revoked client even if the secret record is still live', async () => {
    const s = await confidential();
    await s.counted.inner.updateClient(s.clientId, { revokedAt: 1 });
    expect(await authenticateClientSecret(s.ctx, s.clientId, s.reg.clientSecret)).toBe(false);
  });
});
