import { describe, expect, it } from 'vitest';
import { main } from '../examples/quickstart.js';

// The README embeds examples/quickstart.ts: this keeps the README's example true.
describe('README quick start example', () => {
  it('calls its own API with an API key and with client credentials, and refuses an anonymous call', async () => {
    const results = await main();
    expect(results).toEqual({
      apiKey: { campaigns: [], caller: 'api_key', scopes: ['campaigns:read'] },
      oauth: { campaigns: [], caller: 'access_token', scopes: ['campaigns:read'] },
      anonymous: 401,
    });
  });
});
