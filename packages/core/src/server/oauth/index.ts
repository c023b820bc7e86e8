export {
  type BackChannelRequest,
  createOAuthServer,
  type HandleOptions,
  type OAuthServer,
  type OAuthServerDeps,
  type OAuthServerOptions,
  type PendingAuthorizationInfo,
  type PlainResponse,
} from './oauth-server.js';
export type { JwtAccessTokens, OAuthPaths, OpaqueAccessTokens } from './oauth-options.js';
export type { ConsentGrant, InteractionUser, OAuthInteraction } from './interaction.js';
export { generateAccessTokenSigningKey } from './jwt-access-token.js';
export type { FormBody, PreParsedBody } from './request-params.js';
export type { TokenResponseBody } from './token-issuer.js';
