import type { PlainResponse } from '@auth/core';
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
  /**
   * Answer from the Node request as it is, with no Web `Request` built (the authorization server's
   * back-channel endpoints); null hands the request to {@link AuthRoute.handle}. Never throws.
   */
  direct?(req: NodeRequest, pathname: string): Promise<PlainResponse | null>;
}
