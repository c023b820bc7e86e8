import type { ClientAuthMethod } from '../server/store.js';

/** How a client authenticates to the token and revocation endpoints. */
export interface ClientAuthentication {
  clientId: string;
  clientSecret: string | undefined;
  method: ClientAuthMethod;
}

// RFC 6749 section 2.3.1 / appendix B: form-urlencode id and secret before joining them for Basic.
function formEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}

/** `Basic base64(formEncode(id):formEncode(secret))`, as RFC 6749 section 2.3.1 requires. */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64')}`;
}

/** Add the client's credentials to a token or revocation request (header or body). */
export function applyClientAuthentication(
  auth: ClientAuthentication,
  headers: Record<string, string>,
  body: URLSearchParams,
): void {
  switch (auth.method) {
    case 'client_secret_basic':
      headers.authorization = basicAuthorization(auth.clientId, auth.clientSecret ?? '');
      return;
    case 'client_secret_post':
      body.set('client_id', auth.clientId);
      body.set('client_secret', auth.clientSecret ?? '');
      return;
    case 'none':
      body.set('client_id', auth.clientId);
      return;
  }
}
