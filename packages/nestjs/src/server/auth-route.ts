import type { WebRequestParts, NodeRequest } from '../http/web-request.js';

/**
 * A group of routes `AuthModule` serves ahead of Nest's router: the authorization server, the sign-in
 * routes or the management routes, each a core Web handler with its own `matches`.
 */
export interface AuthRoute {
  /** For logs. */
  readonly name: string;
  matches(pathname: string): boolean;
  handle(req: NodeRequest, parts: WebRequestParts): Promise<Response>;
}
