import { safeEqual } from '../crypto/hash.js';
import { CallbackError, OAuthError } from '../errors.js';
import { redact } from './redact.js';

/**
 * What the app keeps between redirecting the user and receiving the callback (adapters seal it in a
 * cookie). It holds the PKCE verifier: treat it as a secret.
 */
export interface AuthorizationTransaction {
  state: string;
  codeVerifier: string;
  redirectUri: string;
  responseMode: 'query' | 'form_post';
  /** The issuer `iss` must equal, when known. */
  issuer: string | null;
  /** Whether the server advertised RFC 9207 `iss` in responses, so it must be present. */
  requireIss: boolean;
  /** Epoch ms after which the callback is refused. */
  expiresAt: number;
}

/** A callback as the app received it: the callback URL, its parameters, or the Web request itself. */
export type CallbackInput = URL | string | URLSearchParams | Request;

const MAX_FORM_BYTES = 64 * 1024;

/**
 * Read the authorization response parameters. A Web `Request` is read according to the response mode
 * the transaction asked for: the query of a GET for `query`, the form body of a POST for `form_post`.
 */
export async function readCallbackParams(input: CallbackInput, responseMode: 'query' | 'form_post'): Promise<URLSearchParams> {
  if (input instanceof URLSearchParams) return input;
  if (input instanceof URL) return input.searchParams;
  if (typeof input === 'string') {
    try {
      return new URL(input).searchParams;
    } catch {
      throw new CallbackError('The callback URL is not a valid absolute URL');
    }
  }
  if (typeof Request !== 'undefined' && input instanceof Request) {
    if (responseMode === 'query') {
      if (input.method !== 'GET') throw new CallbackError(`Expected a GET callback (response_mode=query), got ${input.method}`);
      return new URL(input.url).searchParams;
    }
    if (input.method !== 'POST') throw new CallbackError(`Expected a POST callback (response_mode=form_post), got ${input.method}`);
    const type = input.headers.get('content-type') ?? '';
    if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      throw new CallbackError('A form_post callback must be application/x-www-form-urlencoded');
    }
    const declared = Number(input.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > MAX_FORM_BYTES) throw new CallbackError('The callback body is too large');
    const text = await input.text();
    if (text.length > MAX_FORM_BYTES) throw new CallbackError('The callback body is too large');
    return new URLSearchParams(text);
  }
  throw new CallbackError('Unsupported callback input: pass a URL, URLSearchParams or a Web Request');
}

function single(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  if (values.length > 1) throw new CallbackError(`The callback repeats the ${name} parameter`);
  return values[0];
}

/**
 * Validate an authorization response against its transaction and return the code.
 * Order follows RFC 9207: `iss` first (mix-up defence), then `state`, then `error`, then `code`.
 */
export function validateCallbackParams(params: URLSearchParams, transaction: AuthorizationTransaction, now: number): string {
  if (now > transaction.expiresAt) throw new CallbackError('The authorization transaction has expired; start again');
  const iss = single(params, 'iss');
  if (iss !== undefined) {
    if (transaction.issuer !== null && iss !== transaction.issuer) {
      throw new CallbackError('The callback iss does not match the expected issuer');
    }
  } else if (transaction.requireIss) {
    throw new CallbackError('The callback has no iss, but the server advertises it');
  }
  const state = single(params, 'state');
  if (state === undefined || !safeEqual(state, transaction.state)) {
    throw new CallbackError('The callback state does not match the transaction');
  }
  const error = single(params, 'error');
  if (error !== undefined) {
    const description = single(params, 'error_description');
    throw new OAuthError(redact(error, []), description === undefined ? undefined : redact(description, []), { status: 400 });
  }
  const code = single(params, 'code');
  if (!code) throw new CallbackError('The callback has no code');
  return code;
}
