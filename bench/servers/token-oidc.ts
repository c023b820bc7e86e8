/**
 * node-oidc-provider 9 with its default memory adapter and `features.clientCredentials` on: the peer of
 * the token-endpoint benchmark. It also serves its `refresh_token` grant, rotating on every redemption
 * (`rotateRefreshToken: true`, as ours does), so a row compares refresh with refresh.
 *
 * argv `refresh <families>`: mint that many refresh tokens up front (a Grant per account with the
 * `offline_access read` scope and no `openid`, so no ID token is signed, as ours signs none). That instance
 * should serve refresh_token grants only: the memory adapter is an LRU of about 1,000 to 2,000 entries, so
 * a client_credentials load on the same process would evict the families. Families are lent round-robin,
 * so each is touched again after about 3 x families entries; and each Grant's member list grows by two per
 * rotation (the adapter walks it on every save), so more families keep that list short over a run.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { CPU_PATH, cpuBody, FAMILIES_PATH, familiesCount, ready } from '../lib/child.js';

let handler: ((req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void) | null = null;
const server = createServer((req, res) => {
  if (req.url === CPU_PATH) {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(cpuBody()));
    return;
  }
  if (req.url?.startsWith(FAMILIES_PATH)) {
    void mintFamilies(familiesCount(req.url)).then((tokens) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(tokens)));
    return;
  }
  handler!(req, res);
});
server.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as AddressInfo).port;
const clientSecret = 'bench-oidc-client-secret-0123456789abcdef';
const refreshArg = process.argv.indexOf('refresh');
const families = refreshArg === -1 ? 0 : Number(process.argv[refreshArg + 1] ?? 128);
const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [
    {
      client_id: 'bench',
      client_secret: clientSecret,
      grant_types: ['client_credentials', 'refresh_token'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  scopes: ['read', 'offline_access'],
  // Every redemption rotates, as ours does (the default rotates a confidential client's token only late in its life).
  rotateRefreshToken: true,
  // The account behind the refresh tokens; oidc-provider looks it up on every redemption.
  findAccount: (_ctx, accountId) => ({ accountId, claims: () => ({ sub: accountId }) }),
  features: { clientCredentials: { enabled: true }, devInteractions: { enabled: false } },
  cookies: { keys: ['bench-cookie-key-0123456789abcdef'] },
});
handler = provider.callback();
const basic = `Basic ${Buffer.from(`bench:${clientSecret}`).toString('base64')}`;

const client = await provider.Client.find('bench');
if (!client) throw new Error('oidc-provider: bench client not found');
let accounts = 0;
/** Heads of new token families: a Grant for a new account, and a refresh token under it. */
async function mintFamilies(count: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const accountId = `u_${accounts++}`;
    const grant = new provider.Grant({ accountId, clientId: 'bench' });
    grant.addOIDCScope('offline_access read');
    const grantId = await grant.save();
    const token = new provider.RefreshToken({ accountId, client, grantId, scope: 'offline_access read', gty: 'authorization_code' });
    tokens.push(await token.save());
  }
  return tokens;
}
const refreshTokens = await mintFamilies(families);
ready({ port, basic, path: '/token', ...(refreshTokens.length ? { refreshTokens } : {}) }, () => new Promise<void>((r) => server.close(() => r())));
