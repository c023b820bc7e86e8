/**
 * One error hierarchy for both halves of the library.
 *
 * Every error has a stable `code`. Protocol errors ({@link OAuthError} and its subclasses) also carry the
 * RFC 6749 / RFC 6750 `error`, `error_description` and HTTP `status`, so adapters render them with
 * {@link errorResponse} and never invent their own shapes.
 *
 * @module
 */

/** Every `code` an {@link AuthError} can have. */
export type AuthErrorCode =
  | 'ERR_AUTH'
  | 'ERR_CONFIG'
  | 'ERR_OAUTH'
  | 'ERR_REAUTH_REQUIRED'
  | 'ERR_TIMEOUT'
  | 'ERR_NETWORK'
  | 'ERR_INVALID_RESPONSE'
  | 'ERR_CALLBACK'
  | 'ERR_STORE'
  | 'ERR_LOCK'
  | 'ERR_MISSING_CREDENTIALS'
  | 'ERR_INVALID_REQUEST'
  | 'ERR_INVALID_TOKEN'
  | 'ERR_INSUFFICIENT_SCOPE'
  | 'ERR_CSRF';

/** Base class of every error this library throws. */
export class AuthError extends Error {
  static readonly code: AuthErrorCode = 'ERR_AUTH';
  readonly code: AuthErrorCode = 'ERR_AUTH';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Invalid options passed to a factory. Thrown at construction time, never per request. */
export class ConfigError extends AuthError {
  static override readonly code = 'ERR_CONFIG';
  override readonly code = 'ERR_CONFIG';
}

/** Body of an OAuth 2.0 error response (RFC 6749 section 5.2, RFC 6750 section 3.1). */
export interface OAuthErrorBody {
  error: string;
  error_description?: string;
  error_uri?: string;
  /** RFC 6750: the scope needed, on `insufficient_scope`. */
  scope?: string;
}

/** Options shared by protocol errors. */
export interface OAuthErrorOptions {
  status?: number;
  errorUri?: string;
  cause?: unknown;
  /** Extra response headers (for example `WWW-Authenticate: Basic` on `invalid_client`). */
  headers?: Record<string, string>;
}

/**
 * An OAuth 2.0 protocol error: received from a token endpoint (client side) or to be sent by the
 * authorization server (server side).
 */
export class OAuthError extends AuthError {
  static override readonly code: AuthErrorCode = 'ERR_OAUTH';
  override readonly code: AuthErrorCode = 'ERR_OAUTH';
  /** The RFC 6749 `error` code, for example `invalid_grant`. */
  readonly error: string;
  readonly error_description: string | undefined;
  readonly error_uri: string | undefined;
  /** HTTP status of the response that carried (or will carry) this error. */
  readonly status: number;
  readonly headers: Record<string, string>;
  constructor(error: string, description?: string, options: OAuthErrorOptions = {}) {
    super(description ? `${error}: ${description}` : error, { cause: options.cause });
    this.error = error;
    this.error_description = description;
    this.error_uri = options.errorUri;
    this.status = options.status ?? 400;
    this.headers = options.headers ?? {};
  }

  /** The JSON body for this error. */
  toJSON(): OAuthErrorBody {
    const body: OAuthErrorBody = { error: this.error };
    if (this.error_description) body.error_description = this.error_description;
    if (this.error_uri) body.error_uri = this.error_uri;
    return body;
  }
}

/**
 * The refresh token (or the grant's credentials) is no longer accepted: the token set has been cleared
 * and the user or app must authenticate again. `error` is usually `invalid_grant`.
 */
export class ReauthenticationRequiredError extends OAuthError {
  static override readonly code = 'ERR_REAUTH_REQUIRED';
  override readonly code = 'ERR_REAUTH_REQUIRED';
}

/** A request to a token, revocation or discovery endpoint took longer than its timeout. */
export class TimeoutError extends AuthError {
  static override readonly code = 'ERR_TIMEOUT';
  override readonly code = 'ERR_TIMEOUT';
}

/** A request could not be sent or its response could not be read (after any retries). */
export class NetworkError extends AuthError {
  static override readonly code = 'ERR_NETWORK';
  override readonly code = 'ERR_NETWORK';
}

/** A server answered with something that is not a valid response for the protocol. */
export class InvalidResponseError extends AuthError {
  static override readonly code = 'ERR_INVALID_RESPONSE';
  override readonly code = 'ERR_INVALID_RESPONSE';
  readonly status: number | undefined;
  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.status = options.status;
  }
}

/** An authorization callback failed validation (state mismatch, `iss` mismatch, missing code...). */
export class CallbackError extends AuthError {
  static override readonly code = 'ERR_CALLBACK';
  override readonly code = 'ERR_CALLBACK';
}

/** A store could not complete an operation (connection lost, constraint broken). */
export class StoreError extends AuthError {
  static override readonly code = 'ERR_STORE';
  override readonly code = 'ERR_STORE';
}

/** A distributed lock could not be taken or kept. */
export class LockError extends AuthError {
  static override readonly code = 'ERR_LOCK';
  override readonly code = 'ERR_LOCK';
}

/** Options for resource-side (RFC 6750) errors. */
export interface ChallengeOptions extends OAuthErrorOptions {
  /** Authentication scheme for the `WWW-Authenticate` challenge. Default `Bearer`. */
  scheme?: string;
  /** Protection realm for the challenge. */
  realm?: string;
  /** Scope required (on `insufficient_scope`). */
  scope?: string;
}

/** Base of resource-side errors: rendered with a `WWW-Authenticate` challenge (RFC 6750 section 3). */
export abstract class ChallengeError extends OAuthError {
  readonly scheme: string;
  readonly realm: string | undefined;
  readonly scope: string | undefined;
  /** Whether the challenge carries `error=` (RFC 6750 3.1: not when no credentials were sent). */
  protected readonly challengeHasError: boolean = true;
  constructor(error: string, description: string, options: ChallengeOptions = {}) {
    super(error, description, options);
    this.scheme = options.scheme ?? 'Bearer';
    this.realm = options.realm;
    this.scope = options.scope;
  }

  /** The `WWW-Authenticate` header value. */
  challenge(): string {
    const params: string[] = [];
    if (this.realm) params.push(`realm="${quote(this.realm)}"`);
    if (this.challengeHasError) {
      params.push(`error="${this.error}"`);
      if (this.error_description) params.push(`error_description="${quote(this.error_description)}"`);
      if (this.scope) params.push(`scope="${quote(this.scope)}"`);
    }
    return params.length ? `${this.scheme} ${params.join(', ')}` : this.scheme;
  }

  override toJSON(): OAuthErrorBody {
    const body = super.toJSON();
    if (this.scope) body.scope = this.scope;
    return body;
  }
}

/** No credentials at all: 401 with a bare challenge (RFC 6750 section 3.1). */
export class MissingCredentialsError extends ChallengeError {
  static override readonly code = 'ERR_MISSING_CREDENTIALS';
  override readonly code = 'ERR_MISSING_CREDENTIALS';
  protected override readonly challengeHasError = false;
  constructor(description = 'Authentication is required', options: ChallengeOptions = {}) {
    super('invalid_token', description, { status: 401, ...options });
  }
}

/** Malformed request: duplicated header, two credentials, bad syntax. 400 `invalid_request`. */
export class InvalidRequestError extends ChallengeError {
  static override readonly code = 'ERR_INVALID_REQUEST';
  override readonly code = 'ERR_INVALID_REQUEST';
  constructor(description: string, options: ChallengeOptions = {}) {
    super('invalid_request', description, { status: 400, ...options });
  }
}

/** Unknown, expired, revoked or malformed credential. 401 `invalid_token`. */
export class InvalidTokenError extends ChallengeError {
  static override readonly code = 'ERR_INVALID_TOKEN';
  override readonly code = 'ERR_INVALID_TOKEN';
  constructor(description = 'The credential is invalid', options: ChallengeOptions = {}) {
    super('invalid_token', description, { status: 401, ...options });
  }
}

/** Valid credential without the scopes the route needs. 403 `insufficient_scope`. */
export class InsufficientScopeError extends ChallengeError {
  static override readonly code = 'ERR_INSUFFICIENT_SCOPE';
  override readonly code = 'ERR_INSUFFICIENT_SCOPE';
  constructor(description = 'The credential lacks the required scope', options: ChallengeOptions = {}) {
    super('insufficient_scope', description, { status: 403, ...options });
  }
}

/** Cookie-authenticated unsafe request without a valid CSRF proof. 403 `invalid_request`. */
export class CsrfError extends ChallengeError {
  static override readonly code = 'ERR_CSRF';
  override readonly code = 'ERR_CSRF';
  protected override readonly challengeHasError = false;
  constructor(description = 'Missing or invalid CSRF token', options: ChallengeOptions = {}) {
    super('invalid_request', description, { status: 403, scheme: 'Cookie', ...options });
  }
}

/** What an adapter needs to send an error: status, headers and a JSON body. */
export interface ErrorResponseParts {
  status: number;
  headers: Record<string, string>;
  body: OAuthErrorBody;
}

/**
 * Turn any thrown value into a standard error response. Protocol errors keep their status and body;
 * anything else becomes a generic 500 `server_error` whose body reveals nothing about the cause.
 *
 * @example
 * ```ts
 * const { status, headers, body } = errorResponse(err);
 * res.writeHead(status, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(body));
 * ```
 */
export function errorResponse(err: unknown): ErrorResponseParts {
  if (err instanceof ChallengeError) {
    return {
      status: err.status,
      headers: { 'www-authenticate': err.challenge(), 'cache-control': 'no-store', ...err.headers },
      body: err.toJSON(),
    };
  }
  if (err instanceof OAuthError) {
    return {
      status: err.status,
      headers: { 'cache-control': 'no-store', pragma: 'no-cache', ...err.headers },
      body: err.toJSON(),
    };
  }
  return {
    status: 500,
    headers: { 'cache-control': 'no-store' },
    body: { error: 'server_error', error_description: 'The server could not complete the request' },
  };
}

/** Turn an error into a Web `Response` (JSON body, standard headers). */
export function errorToResponse(err: unknown): Response {
  const { status, headers, body } = errorResponse(err);
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...headers, 'content-type': 'application/json; charset=utf-8' },
  });
}

/** Whether `err` is one of this library's errors. Works across duplicated package copies by `code`. */
export function isAuthError(err: unknown): err is AuthError {
  if (err instanceof AuthError) return true;
  const code = err instanceof Error ? (err as unknown as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('ERR_');
}

function quote(value: string): string {
  // Quoted-string per RFC 9110: escape backslash and quote, drop control characters.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point.
  return value.replace(/[\\"]/g, '\\$&').replace(/[\u0000-\u001f\u007f]/g, '');
}
