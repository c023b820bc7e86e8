/**
 * The provider's pages: sign in, consent and developer settings. Rendering only; routes are in app.ts.
 *
 * @module
 */
import type { ClientRecord, CredentialView } from '@auth/express';
import { html, page, raw, type Raw } from './html.js';
import { API_SCOPES, MANAGE_SCOPE } from './shared-config.js';

const SCOPE_TEXT: Record<string, string> = {
  'campaigns:read': 'Read your campaigns',
  'campaigns:write': 'Create and change campaigns',
  profile: 'See your user id, business id and name',
  [MANAGE_SCOPE]: 'Create and revoke your API credentials',
};

export function loginPage(o: { next: string; csrf: string; clientName: string | null; error: string | null; username?: string }): string {
  return page(
    'Sign in',
    html`<div class="card narrow"><h1>Sign in</h1>
${o.clientName ? html`<p>to continue to <strong data-testid="login-client">${o.clientName}</strong></p>` : ''}
${o.error ? html`<p class="err" role="alert" data-testid="login-error">${o.error}</p>` : ''}
<form method="post" action="/login" id="login-form">
<input type="hidden" name="_csrf" value="${o.csrf}"><input type="hidden" name="next" value="${o.next}">
<label for="username">Email</label><input type="email" id="username" name="username" autocomplete="username" required value="${o.username ?? ''}">
<label for="password">Password</label><input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit" id="sign-in">Sign in</button></form></div>`,
  );
}

export function consentPage(o: {
  user: { username: string; csrfToken: string };
  client: ClientRecord;
  scopes: readonly string[];
  next: string;
}): string {
  const hidden = html`<input type="hidden" name="_csrf" value="${o.user.csrfToken}"><input type="hidden" name="next" value="${o.next}">`;
  return page(
    'Authorize application',
    html`<div class="card narrow"><h1>Authorize <span data-testid="consent-client">${o.client.name}</span></h1>
<p><strong>${o.client.name}</strong> wants to access your account <strong>${o.user.username}</strong>:</p>
<ul data-testid="consent-scopes">${o.scopes.map((s) => html`<li><code>${s}</code> ${SCOPE_TEXT[s] ?? ''}</li>`)}</ul>
<form method="post" action="/consent" class="inline">${hidden}
<button type="submit" id="approve" name="decision" value="approve">Allow</button>
<button type="submit" id="deny" name="decision" value="deny" class="secondary">Deny</button></form></div>`,
    { user: o.user },
  );
}

/** A secret shown once after it was created (or rotated). */
export interface ShownOnce {
  kind: 'api-key' | 'personal-token' | 'secret' | 'app' | 'app-secret';
  title: string;
  secret: string | null;
  id: string;
  businessId?: string | null;
  userId?: string | null;
  clientId?: string;
}

export interface SettingsView {
  user: { username: string; displayName: string; userId: string; businessId: string; csrfToken: string };
  apiKeys: CredentialView[];
  personalTokens: CredentialView[];
  secrets: CredentialView[];
  apps: ClientRecord[];
  shown?: ShownOnce;
  error?: string;
}

const date = (ms: number | null) => (ms === null ? 'never' : new Date(ms).toISOString().replace('T', ' ').slice(0, 16));

function scopeBoxes(prefix: string, scopes: readonly string[], checked: readonly string[]): Raw {
  return html`<div class="inline">${scopes.map(
    (s) =>
      html`<label><input type="checkbox" name="scopes" value="${s}" id="${prefix}-scope-${s.replace(':', '-')}"${raw(checked.includes(s) ? ' checked' : '')}> <code>${s}</code></label>`,
  )}</div>`;
}

function expirySelect(id: string): Raw {
  return html`<label for="${id}">Expires</label><select id="${id}" name="expiresIn"><option value="">Never</option><option value="30d">In 30 days</option><option value="90d">In 90 days</option></select>`;
}

function credentialTable(area: string, items: CredentialView[], csrf: string, extra?: (c: CredentialView) => Raw): Raw {
  if (items.length === 0) return html`<p class="muted" data-testid="${area}-empty">None yet.</p>`;
  return html`<table data-testid="${area}-list"><thead><tr><th>Name</th><th>Ends in</th><th>Scopes</th><th>Created</th><th>Last used</th><th>Expires</th><th></th></tr></thead><tbody>
${items.map(
  (c) => html`<tr data-testid="${area}-${c.id}" data-id="${c.id}"><td>${c.name}</td><td><code>…${c.hint}</code></td><td>${c.scopes.join(' ')}</td>
<td>${date(c.createdAt)}</td><td>${date(c.lastUsedAt)}</td><td>${date(c.expiresAt)}</td>
<td>${extra ? extra(c) : ''}<form method="post" action="/settings/${area}/${c.id}/revoke"><input type="hidden" name="_csrf" value="${csrf}">
<button type="submit" class="danger" data-testid="revoke-${c.id}">Revoke</button></form></td></tr>`,
)}</tbody></table>`;
}

function shownOnce(s: ShownOnce): Raw {
  return html`<section class="card notice" id="new-credential" data-kind="${s.kind}"><h2>${s.title}</h2>
${s.secret ? html`<p>Copy it now: it is shown <strong>once</strong> and stored only as a hash.</p><code class="secret" data-testid="new-secret">${s.secret}</code>` : html`<p>Public application: no secret (it uses PKCE).</p>`}
<dl>${s.clientId ? html`<dt>Client id</dt><dd><code data-testid="new-client-id">${s.clientId}</code></dd>` : ''}
${s.kind !== 'app' && s.kind !== 'app-secret' ? html`<dt>Id</dt><dd><code data-testid="new-credential-id">${s.id}</code></dd>` : ''}
${s.kind === 'api-key' ? html`<dt>Business id (X-BUSINESS-ID)</dt><dd><code data-testid="new-secret-business-id">${s.businessId}</code></dd><dt>User id (X-USER-ID)</dt><dd><code data-testid="new-secret-user-id">${s.userId}</code></dd>` : ''}
</dl></section>`;
}

export function settingsPage(v: SettingsView): string {
  const csrf = v.user.csrfToken;
  const hidden = html`<input type="hidden" name="_csrf" value="${csrf}">`;
  return page(
    'Developer settings',
    html`<h1>Developer settings</h1>
${v.error ? html`<p class="card err" role="alert" data-testid="form-error">${v.error}</p>` : ''}
${v.shown ? shownOnce(v.shown) : ''}
<section class="card" id="profile"><h2>My profile</h2><dl>
<dt>Name</dt><dd>${v.user.displayName}</dd><dt>Email</dt><dd>${v.user.username}</dd>
<dt>User id</dt><dd><code data-testid="user-id">${v.user.userId}</code></dd>
<dt>Business id</dt><dd><code data-testid="business-id">${v.user.businessId}</code></dd></dl></section>

<section class="card" id="api-keys"><h2>API keys</h2>
<p class="muted">Send <code>X-API-KEY</code>, <code>X-BUSINESS-ID</code> and <code>X-USER-ID</code> on every request. A key has at most your own permissions.</p>
${credentialTable('api-keys', v.apiKeys, csrf)}
<form method="post" action="/settings/api-keys" id="create-api-key-form">${hidden}
<label for="api-key-name">Name</label><input type="text" id="api-key-name" name="name" required maxlength="100" placeholder="CRM sync">
${scopeBoxes('api-key', API_SCOPES, API_SCOPES)}${expirySelect('api-key-expires')}
<button type="submit" id="create-api-key">Create API key</button></form></section>

<section class="card" id="personal-tokens"><h2>Personal access tokens</h2>
<p class="muted">Send <code>Authorization: Bearer &lt;token&gt;</code>. A token acts as you, within its scopes.</p>
${credentialTable('personal-tokens', v.personalTokens, csrf)}
<form method="post" action="/settings/personal-tokens" id="create-personal-token-form">${hidden}
<label for="personal-token-name">Name</label><input type="text" id="personal-token-name" name="name" required maxlength="100" placeholder="CLI">
${scopeBoxes('personal-token', [...API_SCOPES, MANAGE_SCOPE], API_SCOPES)}${expirySelect('personal-token-expires')}
<button type="submit" id="create-personal-token">Create token</button></form></section>

<section class="card" id="secrets"><h2>Client secret (<code>Authorization: Secret</code>)</h2>
<p class="muted">For the few endpoints that accept <code>Authorization: Secret &lt;secret&gt;</code> (here: <code>GET /v1/me</code>).</p>
${credentialTable('secrets', v.secrets, csrf)}
<form method="post" action="/settings/secrets" id="create-secret-form">${hidden}
<label for="secret-name">Name</label><input type="text" id="secret-name" name="name" required maxlength="100" placeholder="Back office">
${scopeBoxes('secret', API_SCOPES, ['profile'])}
<button type="submit" id="create-secret">Generate secret</button></form></section>

<section class="card" id="apps"><h2>OAuth applications</h2>
${
  v.apps.length === 0
    ? html`<p class="muted" data-testid="apps-empty">None yet.</p>`
    : html`<table data-testid="apps-list"><thead><tr><th>Name</th><th>Client id</th><th>Type</th><th>Redirect URIs</th><th>Scopes</th><th></th></tr></thead><tbody>
${v.apps.map(
  (a) => html`<tr data-testid="app-${a.clientId}" data-id="${a.clientId}"><td>${a.name}</td><td><code>${a.clientId}</code></td><td>${a.type}</td>
<td>${a.redirectUris.map((u) => html`<code>${u}</code><br>`)}</td><td>${a.scopes.join(' ')}</td><td>
${a.type === 'confidential' ? html`<form method="post" action="/settings/apps/${a.clientId}/rotate">${hidden}<button type="submit" class="danger" data-testid="rotate-${a.clientId}">Rotate secret</button></form>` : ''}
<form method="post" action="/settings/apps/${a.clientId}/revoke">${hidden}<button type="submit" class="danger" data-testid="revoke-${a.clientId}">Revoke</button></form></td></tr>`,
)}</tbody></table>`
}
<form method="post" action="/settings/apps" id="register-app-form">${hidden}
<label for="app-name">Name</label><input type="text" id="app-name" name="name" required maxlength="100" placeholder="Reports">
<label for="app-type">Type</label><select id="app-type" name="type"><option value="confidential">Confidential (server-side, gets a client secret)</option><option value="public">Public (browser, mobile, CLI: PKCE, no secret)</option></select>
<label for="app-redirect-uris">Redirect URIs (one per line)</label><textarea id="app-redirect-uris" name="redirectUris" rows="2" placeholder="https://app.example.com/callback"></textarea>
${scopeBoxes('app', API_SCOPES, API_SCOPES)}
<button type="submit" id="register-app">Register application</button></form></section>`,
    { user: v.user },
  );
}

export function errorPage(title: string, message: string): string {
  return page(title, html`<div class="card narrow"><h1>${title}</h1><p data-testid="error-message">${message}</p><p><a href="/settings">Back</a></p></div>`);
}
