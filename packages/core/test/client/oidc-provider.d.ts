// oidc-provider 9 ships no type declarations and @types/oidc-provider is not installed: just the
// surface the interop test uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface StoredToken {
    clientId: string;
    accountId?: string;
    consumed?: unknown;
  }
  interface TokenModel {
    find(value: string): Promise<StoredToken | undefined>;
  }
  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    AccessToken: TokenModel;
    RefreshToken: TokenModel;
    ClientCredentials: TokenModel;
  }
}
