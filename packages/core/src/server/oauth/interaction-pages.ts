/**
 * The built-in login and consent pages: minimal, for demos and tests. They check the user with
 * `accounts.authenticate`, sign them in with the session cookies, and are CSRF-protected (a sealed token
 * bound to the browser and the pending request, plus a `Sec-Fetch-Site` check). Every value shown is
 * HTML-escaped. Hosts with their own pages set `interaction.loginUrl` / `consentUrl` and these are not
 * served.
 *
 * @module
 */
import { OAuthError } from '../../errors.js';
import { authorizationError, authorizationResponse, issueAuthorizationCode } from './authorization-response.js';
import { activeClient, currentUser, resumeUrl, type AuthorizeContext } from './authorize-endpoint.js';
import { errorPage, escapeHtml, htmlPage } from './html.js';
import { browserId, checkInteractionCsrf, interactionCsrfToken, openPending, type PendingAuthorization } from './interaction.js';
import { formParams, type PreParsedBody } from './request-params.js';
import type { ClientRecord } from '../store.js';

const MAX_CREDENTIAL = 1024;

interface Loaded {
  tx: string;
  bid: string;
  pending: PendingAuthorization;
  client: ClientRecord;
  form: ReadonlyMap<string, string> | null;
}

const expired = () =>
  errorPage(400, 'invalid_request', 'This sign-in request has expired or was started in another browser. Go back to the application and start again.');

/** Read the pending request (from the query on GET, the form on POST) and check CSRF on POST. */
async function load(a: AuthorizeContext, request: Request, body: PreParsedBody | undefined): Promise<Loaded | Response> {
  let form: Map<string, string> | null = null;
  let tx: string | undefined;
  if (request.method === 'GET') {
    const all = new URL(request.url).searchParams.getAll('tx');
    tx = all.length === 1 ? all[0] : undefined;
  } else if (request.method === 'POST') {
    const site = request.headers.get('sec-fetch-site');
    if (site !== null && site !== 'same-origin' && site !== 'none') {
      return errorPage(403, 'invalid_request', 'Cross-site form submissions are refused.');
    }
    try {
      form = await formParams(request, body, a.options.maxBodyBytes);
    } catch (err) {
      if (err instanceof OAuthError) return errorPage(400, err.error, err.error_description ?? 'Invalid request');
      throw err;
    }
    tx = form.get('tx');
  } else {
    return errorPage(405, 'invalid_request', 'Use GET or POST');
  }
  if (!tx) return expired();
  const bid = browserId(request, a.ctx.issuer);
  const pending = openPending(a.ctx, tx, bid);
  if (!pending || bid === null) return expired();
  if (form && !checkInteractionCsrf(a.ctx, form.get('csrf'), bid, tx)) {
    return errorPage(403, 'invalid_request', 'The form expired. Go back and try again.');
  }
  const client = await activeClient(a.ctx, pending.clientId, pending.redirectUri);
  if (!client) return errorPage(400, 'invalid_client', 'The application is unknown.');
  return { tx, bid, pending, client, form };
}

function hidden(a: AuthorizeContext, l: Loaded): string {
  const csrf = interactionCsrfToken(a.ctx, l.bid, l.tx, a.options.interactionLifetimeMs);
  return `<input type="hidden" name="tx" value="${escapeHtml(l.tx)}"><input type="hidden" name="csrf" value="${escapeHtml(csrf)}">`;
}

function loginForm(a: AuthorizeContext, l: Loaded, message: string | null, status: number): Response {
  return htmlPage(
    'Sign in',
    `<h1>Sign in</h1><p>to continue to <strong>${escapeHtml(l.client.name)}</strong></p>` +
      (message ? `<p class="err" role="alert">${escapeHtml(message)}</p>` : '') +
      `<form method="post" action="${escapeHtml(a.paths.url('login'))}">${hidden(a, l)}` +
      '<label>Username <input name="username" autocomplete="username" required></label>' +
      '<label>Password <input name="password" type="password" autocomplete="current-password" required></label>' +
      '<button type="submit">Sign in</button></form>',
    { status },
  );
}

/** `GET` shows the login form; `POST` checks the password, signs the user in and resumes the authorization. */
export async function loginPage(a: AuthorizeContext, request: Request, body: PreParsedBody | undefined): Promise<Response> {
  const l = await load(a, request, body);
  if (l instanceof Response) return l;
  if (!l.form) return loginForm(a, l, null, 200);
  const authenticate = a.ctx.accounts.authenticate;
  if (!authenticate) return errorPage(501, 'server_error', 'Sign-in is not configured on this server.');
  const username = l.form.get('username') ?? '';
  const password = l.form.get('password') ?? '';
  const user =
    username && password && username.length <= MAX_CREDENTIAL && password.length <= MAX_CREDENTIAL
      ? await authenticate(username, password)
      : null;
  if (!user) return loginForm(a, l, 'Invalid username or password.', 401);
  const issued = a.sessions.issue({ userId: user.userId, businessId: user.businessId ?? null });
  return new Response(null, {
    status: 303,
    headers: { location: resumeUrl(a, l.tx), 'set-cookie': issued.setCookie, 'cache-control': 'no-store' },
  });
}

/** `GET` shows what the client asks for; `POST` records the decision and answers the client. */
export async function consentPage(a: AuthorizeContext, request: Request, body: PreParsedBody | undefined): Promise<Response> {
  const l = await load(a, request, body);
  if (l instanceof Response) return l;
  const user = await currentUser(a, request);
  if (!user) {
    return new Response(null, { status: 303, headers: { location: resumeUrl(a, l.tx), 'cache-control': 'no-store' } });
  }
  if (!l.form) {
    const scopes = l.pending.scopes.length
      ? `<ul>${l.pending.scopes.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>`
      : '<p>No specific permissions.</p>';
    return htmlPage(
      'Authorize access',
      `<h1>Authorize ${escapeHtml(l.client.name)}</h1><p>This application asks to:</p>${scopes}` +
        `<form method="post" action="${escapeHtml(a.paths.url('consent'))}">${hidden(a, l)}<div class="row">` +
        '<button type="submit" name="decision" value="approve">Allow</button>' +
        '<button type="submit" name="decision" value="deny">Deny</button></div></form>',
    );
  }
  const decision = l.form.get('decision');
  if (decision === 'deny') return authorizationError(a.ctx.issuer, l.pending, 'access_denied', 'The user denied the request');
  if (decision !== 'approve') return errorPage(400, 'invalid_request', 'Choose Allow or Deny.');
  const grant = { userId: user.userId, businessId: user.businessId ?? null, clientId: l.client.clientId, scopes: l.pending.scopes };
  await a.options.interaction.recordConsent?.(grant);
  const code = await issueAuthorizationCode(a.ctx, l.pending, user);
  return authorizationResponse(a.ctx.issuer, l.pending, { code });
}
