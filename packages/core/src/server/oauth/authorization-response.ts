/**
 * Answering an authorization request: minting the code, and sending the response (success or error) back
 * to the client's redirect URI by `query` redirect or `form_post`, with `iss` (RFC 9207) and the
 * untouched `state`.
 *
 * @module
 */
import { timeOrderedId } from '../../crypto/random.js';
import type { ServerContext } from '../context.js';
import { formPostPage } from './html.js';
import type { InteractionUser, PendingAuthorization } from './interaction.js';

/** Where and how a response goes back to the client. */
export type ResponseTarget = Pick<PendingAuthorization, 'redirectUri' | 'responseMode' | 'state'>;

/** Send `params` (plus `state` and `iss`) to the client's redirect URI. */
export function authorizationResponse(
  issuer: string,
  target: ResponseTarget,
  params: Record<string, string>,
  setCookies: readonly string[] = [],
): Response {
  const all: Record<string, string> = { ...params };
  if (target.state !== null) all.state = target.state;
  all.iss = issuer;
  let response: Response;
  if (target.responseMode === 'form_post') {
    response = formPostPage(target.redirectUri, all);
  } else {
    // Appended by hand: re-serialising the registered URI's own query through URLSearchParams could change it.
    const sep = target.redirectUri.includes('?') ? '&' : '?';
    const location = target.redirectUri + sep + new URLSearchParams(all).toString();
    response = new Response(null, {
      status: 303,
      headers: { location, 'cache-control': 'no-store', pragma: 'no-cache', 'referrer-policy': 'no-referrer' },
    });
  }
  for (const c of setCookies) response.headers.append('set-cookie', c);
  return response;
}

/** An error sent back to the client (RFC 6749 section 4.1.2.1). Descriptions are fixed strings, never input. */
export function authorizationError(
  issuer: string,
  target: ResponseTarget,
  error: string,
  description: string,
  setCookies: readonly string[] = [],
): Response {
  return authorizationResponse(issuer, target, { error, error_description: description }, setCookies);
}

/** Mint and store a single-use authorization code for an approved request. */
export async function issueAuthorizationCode(
  ctx: ServerContext,
  pending: PendingAuthorization,
  user: InteractionUser,
): Promise<string> {
  const code = ctx.newSecret('authorizationCode');
  const now = ctx.now();
  await ctx.store.saveAuthorizationCode({
    hash: ctx.hash(code),
    clientId: pending.clientId,
    userId: user.userId,
    businessId: user.businessId ?? null,
    redirectUri: pending.redirectUri,
    scopes: pending.scopes,
    codeChallenge: pending.codeChallenge,
    codeChallengeMethod: pending.codeChallenge === null ? null : 'S256',
    familyId: timeOrderedId(),
    createdAt: now,
    expiresAt: now + ctx.lifetimes.authorizationCodeMs,
    consumedAt: null,
  });
  return code;
}
