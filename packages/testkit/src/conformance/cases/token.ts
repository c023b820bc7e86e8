/**
 * The token endpoint (RFC 6749 sections 3.2, 4.1.3, 5.1, 5.2; RFC 7636 4.6; RFC 9700).
 *
 * @module
 */
import { expect } from 'vitest';
import { expectNoControlChars, expectOAuthError, expectTokens } from '../expect-answer.js';
import { PASSWORD_USER, SPA_REDIRECT, WEB_REDIRECT, type ConformanceValues } from '../fixture.js';
import type { Expectation, RequestCase, ScenarioCase, WireRequest } from '../types.js';
import { basic, formPost } from '../wire.js';
import { callApi, codeTokens, generateCodeVerifier, introspect, later, obtainCode, redeem, TOKEN, tokenRequest } from './helpers.js';

/** RFC 6749 5.2: the error, its status, JSON, no-store, nothing reflected. */
function oauthError(error: string, status = error === 'invalid_client' ? 401 : 400): Expectation {
  return {
    status,
    error,
    headers: {
      'content-type': /^application\/json/,
      'cache-control': 'no-store',
      pragma: 'no-cache',
      'www-authenticate': status === 401 ? /^Basic realm="oauth"/ : null,
    },
    check: (a) => expectNoControlChars(a),
  };
}

/** RFC 6749 5.1: a token response. */
function tokens(check?: (json: Record<string, unknown>) => void): Expectation {
  return {
    status: 200,
    headers: { 'content-type': /^application\/json/, 'cache-control': 'no-store', pragma: 'no-cache' },
    check(a) {
      expect(a.json?.token_type).toBe('Bearer');
      expect(a.json?.access_token).toMatch(/^at_[0-9A-Za-z]{46}$/);
      expect(a.json?.expires_in).toBe(3600);
      check?.(a.json!);
    },
  };
}

function tokenCase(name: string, source: string, request: (v: ConformanceValues) => WireRequest, expect: Expectation): RequestCase {
  return { kind: 'request', category: 'token', name, source, target: 'authorizationServer', request, expect };
}

const machine = (v: ConformanceValues) => v.clients.machine;
const cc = (v: ConformanceValues, extra: Record<string, string> = {}) => tokenRequest(machine(v), { grant_type: 'client_credentials', ...extra });
const withBasic = (_v: ConformanceValues, authorization: string, body = 'grant_type=client_credentials') =>
  formPost(TOKEN, body, { authorization });

const single: RequestCase[] = [
  tokenCase('client_credentials with Basic: tokens, no-store', 'RFC 6749 4.4.3, 5.1', (v) => cc(v), tokens((j) => expect(j.refresh_token).toBeUndefined())),
  tokenCase('client_credentials with client_secret_post', 'RFC 6749 2.3.1', (v) => tokenRequest(machine(v), { grant_type: 'client_credentials' }, 'post'), tokens()),
  tokenCase('narrower scope is granted as asked', 'RFC 6749 3.3', (v) => cc(v, { scope: 'read' }), tokens((j) => expect(j.scope).toBe('read'))),
  tokenCase('form content type with a charset parameter', 'RFC 6749 3.2; RFC 9110 8.3.1', (v) => ({ ...cc(v), headers: { ...cc(v).headers, 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' } }), tokens()),
  tokenCase('Basic plus the same client_id in the body', 'RFC 6749 2.3.1', (v) => formPost(TOKEN, { grant_type: 'client_credentials', client_id: v.clients.machine.id }, { authorization: basic(v.clients.machine.id, v.clients.machine.secret!) }), tokens()),
  tokenCase('password grant: tokens with a refresh token', 'RFC 6749 4.3.3', (v) => tokenRequest(v.clients.password, { grant_type: 'password', ...PASSWORD_USER }), tokens((j) => expect(j.refresh_token).toMatch(/^rt_/))),
  // RFC 6749 5.2, one case per error code and per way of reaching it.
  tokenCase('missing grant_type', 'RFC 6749 5.2 invalid_request', (v) => tokenRequest(machine(v), {}), oauthError('invalid_request')),
  tokenCase('empty grant_type counts as missing', 'RFC 6749 3.1', (v) => tokenRequest(machine(v), { grant_type: '' }), oauthError('invalid_request')),
  tokenCase('repeated grant_type', 'RFC 6749 3.2 (parameters MUST NOT be included more than once)', (v) => withBasic(v, basic(v.clients.machine.id, v.clients.machine.secret!), 'grant_type=client_credentials&grant_type=client_credentials'), oauthError('invalid_request')),
  tokenCase('repeated scope', 'RFC 6749 3.2', (v) => withBasic(v, basic(v.clients.machine.id, v.clients.machine.secret!), 'grant_type=client_credentials&scope=read&scope=write'), oauthError('invalid_request')),
  tokenCase('JSON body', 'RFC 6749 3.2 (application/x-www-form-urlencoded)', (v) => ({ method: 'POST', path: TOKEN, headers: { 'content-type': 'application/json', authorization: basic(v.clients.machine.id, v.clients.machine.secret!) }, body: '{"grant_type":"client_credentials"}' }), oauthError('invalid_request')),
  tokenCase('text/plain body', 'RFC 6749 3.2', (v) => ({ method: 'POST', path: TOKEN, headers: { 'content-type': 'text/plain', authorization: basic(v.clients.machine.id, v.clients.machine.secret!) }, body: 'grant_type=client_credentials' }), oauthError('invalid_request')),
  tokenCase('no content type', 'RFC 6749 3.2', (v) => ({ method: 'POST', path: TOKEN, headers: { authorization: basic(v.clients.machine.id, v.clients.machine.secret!) } }), oauthError('invalid_request')),
  tokenCase('body over the size limit', 'RFC 6749 3.2; CWE-400', (v) => withBasic(v, basic(v.clients.machine.id, v.clients.machine.secret!), `grant_type=client_credentials&pad=${'a'.repeat(70_000)}`), oauthError('invalid_request')),
  tokenCase('GET: 405 with Allow: POST', 'RFC 6749 3.2 (MUST use POST); RFC 9110 15.5.6', () => ({ method: 'GET', path: `${TOKEN}?grant_type=client_credentials`, headers: {} }), { ...oauthError('invalid_request', 405), headers: { allow: 'POST', 'cache-control': 'no-store' } }),
  tokenCase('GET with client credentials in the query: 405, nothing issued', 'RFC 6749 3.2; RFC 9700 4.3.1', (v) => ({ method: 'GET', path: `${TOKEN}?grant_type=client_credentials&client_id=${v.clients.machine.id}&client_secret=${v.clients.machine.secret}`, headers: {} }), { ...oauthError('invalid_request', 405), headers: { allow: 'POST' } }),
  tokenCase('unknown grant type', 'RFC 6749 5.2 unsupported_grant_type', (v) => cc(v, { grant_type: 'magic' }), oauthError('unsupported_grant_type')),
  tokenCase('implicit is not a grant type here', 'RFC 9700 2.1.2', (v) => cc(v, { grant_type: 'implicit' }), oauthError('unsupported_grant_type')),
  tokenCase('device code grant not served', 'RFC 8628 3.4', (v) => cc(v, { grant_type: 'urn:ietf:params:oauth:grant-type:device_code' }), oauthError('unsupported_grant_type')),
  tokenCase('JWT bearer grant not served', 'RFC 7523 2.1', (v) => cc(v, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer' }), oauthError('unsupported_grant_type')),
  tokenCase('grant type in upper case', 'RFC 6749 3.1 (values are case-sensitive)', (v) => cc(v, { grant_type: 'CLIENT_CREDENTIALS' }), oauthError('unsupported_grant_type')),
  tokenCase('grant type with CR LF: not reflected', 'RFC 6749 5.2 (error_description charset %x20-21 / %x23-5B / %x5D-7E)', (v) => cc(v, { grant_type: 'client_credentials\r\nSet-Cookie: x=1' }), oauthError('unsupported_grant_type')),
  tokenCase('grant not allowed: web client asks client_credentials', 'RFC 6749 5.2 unauthorized_client', (v) => tokenRequest(v.clients.web, { grant_type: 'client_credentials' }), oauthError('unauthorized_client')),
  tokenCase('grant not allowed: machine client asks authorization_code', 'RFC 6749 5.2 unauthorized_client', (v) => cc(v, { grant_type: 'authorization_code', code: 'x', redirect_uri: WEB_REDIRECT }), oauthError('unauthorized_client')),
  tokenCase('grant not allowed: machine client asks refresh_token', 'RFC 6749 5.2 unauthorized_client', (v) => cc(v, { grant_type: 'refresh_token', refresh_token: 'x' }), oauthError('unauthorized_client')),
  tokenCase('grant not allowed: machine client asks password', 'RFC 6749 5.2 unauthorized_client', (v) => cc(v, { grant_type: 'password', ...PASSWORD_USER }), oauthError('unauthorized_client')),
  tokenCase('grant not allowed: public client asks client_credentials', 'RFC 6749 4.4 (confidential clients only)', (v) => tokenRequest(v.clients.spa, { grant_type: 'client_credentials' }), oauthError('unauthorized_client')),
  tokenCase('no client authentication', 'RFC 6749 5.2 invalid_client', () => formPost(TOKEN, { grant_type: 'client_credentials' }), oauthError('invalid_client')),
  tokenCase('wrong secret with Basic: 401 + WWW-Authenticate: Basic', 'RFC 6749 5.2 (401 and WWW-Authenticate when Basic was used)', (v) => withBasic(v, basic(v.clients.machine.id, `${v.clients.machine.secret!.slice(0, -4)}AAAA`)), oauthError('invalid_client')),
  tokenCase('wrong secret in the body', 'RFC 6749 5.2 invalid_client', (v) => formPost(TOKEN, { grant_type: 'client_credentials', client_id: v.clients.machine.id, client_secret: 'wrong-secret-value' }), oauthError('invalid_client')),
  tokenCase('unknown client with Basic', 'RFC 6749 5.2 invalid_client', () => withBasic({} as never, basic('no-such-client', 'whatever-secret')), oauthError('invalid_client')),
  tokenCase('unknown client in the body', 'RFC 6749 5.2 invalid_client', () => formPost(TOKEN, { grant_type: 'client_credentials', client_id: 'no-such-client', client_secret: 'x' }), oauthError('invalid_client')),
  tokenCase('revoked client', 'RFC 6749 5.2 invalid_client', (v) => withBasic(v, basic(v.clients.revoked.id, v.clients.revoked.secret!)), oauthError('invalid_client')),
  tokenCase('confidential client sends only client_id', 'RFC 6749 3.2.1', (v) => formPost(TOKEN, { grant_type: 'client_credentials', client_id: v.clients.machine.id }), oauthError('invalid_client')),
  tokenCase('public client sends a secret', 'RFC 6749 2.1; 3.2.1', (v) => formPost(TOKEN, { grant_type: 'authorization_code', code: 'x', client_id: v.clients.spa.id, client_secret: 'made-up' }), oauthError('invalid_client')),
  tokenCase('malformed base64 in Basic', 'RFC 7617 2; RFC 6749 2.3.1', () => withBasic({} as never, 'Basic !!!not-base64!!!'), oauthError('invalid_client')),
  tokenCase('base64 with a wrong length', 'RFC 4648 4', () => withBasic({} as never, 'Basic YWJj='), oauthError('invalid_client')),
  tokenCase('Basic without a colon', 'RFC 7617 2', () => withBasic({} as never, `Basic ${Buffer.from('justanid').toString('base64')}`), oauthError('invalid_client')),
  tokenCase('Basic with an empty client id', 'RFC 7617 2', () => withBasic({} as never, `Basic ${Buffer.from(':secret').toString('base64')}`), oauthError('invalid_client')),
  tokenCase('Basic with invalid UTF-8', 'RFC 7617 2.1', () => withBasic({} as never, `Basic ${Buffer.from([0xff, 0xfe, 0x3a, 0x61]).toString('base64')}`), oauthError('invalid_client')),
  tokenCase('Basic with a bad percent-encoding', 'RFC 6749 2.3.1 (form-urlencoded parts)', () => withBasic({} as never, `Basic ${Buffer.from('%zz:secret').toString('base64')}`), oauthError('invalid_client')),
  tokenCase('Basic with nothing after the scheme', 'RFC 7617 2', () => withBasic({} as never, 'Basic'), oauthError('invalid_client')),
  tokenCase('Bearer instead of Basic', 'RFC 6749 2.3', (v) => withBasic(v, `Bearer ${v.pat}`), oauthError('invalid_client')),
  tokenCase('oversize client id', 'RFC 6749 2.2; CWE-400', () => withBasic({} as never, basic('c'.repeat(300), 'secret')), oauthError('invalid_client')),
  tokenCase('client id with CR LF: not reflected', 'RFC 6749 5.2', () => formPost(TOKEN, { grant_type: 'client_credentials', client_id: 'a\r\nb', client_secret: 'x' }), oauthError('invalid_client')),
  tokenCase('Basic and client_secret together', 'RFC 6749 2.3 (MUST NOT use more than one method)', (v) => formPost(TOKEN, { grant_type: 'client_credentials', client_secret: v.clients.machine.secret! }, { authorization: basic(v.clients.machine.id, v.clients.machine.secret!) }), oauthError('invalid_request')),
  tokenCase('Basic and a different client_id in the body', 'RFC 6749 2.3', (v) => formPost(TOKEN, { grant_type: 'client_credentials', client_id: v.clients.web.id }, { authorization: basic(v.clients.machine.id, v.clients.machine.secret!) }), oauthError('invalid_request')),
  tokenCase('scope outside the client\'s scopes', 'RFC 6749 5.2 invalid_scope', (v) => cc(v, { scope: 'read admin' }), oauthError('invalid_scope')),
  tokenCase('malformed scope', 'RFC 6749 3.3', (v) => cc(v, { scope: 'read\\write' }), oauthError('invalid_scope')),
  tokenCase('scope with a control character: not reflected', 'RFC 6749 3.3, 5.2', (v) => cc(v, { scope: 'read\u0007' }), oauthError('invalid_scope')),
  tokenCase('repeated parameter with a hostile name: fixed description', 'RFC 6749 5.2 (error_description charset)', (v) => withBasic(v, basic(v.clients.machine.id, v.clients.machine.secret!), 'grant_type=client_credentials&a%0D%0Ab=1&a%0D%0Ab=2'), oauthError('invalid_request')),
  tokenCase('authorization_code: missing code', 'RFC 6749 4.1.3', (v) => tokenRequest(v.clients.web, { grant_type: 'authorization_code', redirect_uri: WEB_REDIRECT }), oauthError('invalid_request')),
  tokenCase('authorization_code: junk code', 'RFC 6749 5.2 invalid_grant', (v) => tokenRequest(v.clients.web, { grant_type: 'authorization_code', code: 'junk', redirect_uri: WEB_REDIRECT }), oauthError('invalid_grant')),
  tokenCase('authorization_code: a personal token as the code', 'RFC 6749 5.2 invalid_grant', (v) => tokenRequest(v.clients.web, { grant_type: 'authorization_code', code: v.pat, redirect_uri: WEB_REDIRECT }), oauthError('invalid_grant')),
  tokenCase('authorization_code: verifier of 42 characters', 'RFC 7636 4.1', (v) => tokenRequest(v.clients.spa, { grant_type: 'authorization_code', code: 'x', redirect_uri: SPA_REDIRECT, code_verifier: 'a'.repeat(42) }), oauthError('invalid_request')),
  tokenCase('authorization_code: verifier of 129 characters', 'RFC 7636 4.1', (v) => tokenRequest(v.clients.spa, { grant_type: 'authorization_code', code: 'x', redirect_uri: SPA_REDIRECT, code_verifier: 'a'.repeat(129) }), oauthError('invalid_request')),
  tokenCase('authorization_code: verifier with a bad character', 'RFC 7636 4.1', (v) => tokenRequest(v.clients.spa, { grant_type: 'authorization_code', code: 'x', redirect_uri: SPA_REDIRECT, code_verifier: `${'a'.repeat(42)}+` }), oauthError('invalid_request')),
  tokenCase('password: wrong password', 'RFC 6749 5.2 invalid_grant', (v) => tokenRequest(v.clients.password, { grant_type: 'password', username: PASSWORD_USER.username, password: 'wrong password' }), oauthError('invalid_grant')),
  tokenCase('password: unknown user (same answer)', 'RFC 6749 10.10; OWASP ASVS 2.2', (v) => tokenRequest(v.clients.password, { grant_type: 'password', username: 'mallory', password: 'wrong password' }), oauthError('invalid_grant')),
  tokenCase('password: missing password', 'RFC 6749 4.3.2', (v) => tokenRequest(v.clients.password, { grant_type: 'password', username: PASSWORD_USER.username }), oauthError('invalid_request')),
  tokenCase('password: oversize password', 'CWE-400', (v) => tokenRequest(v.clients.password, { grant_type: 'password', username: PASSWORD_USER.username, password: 'p'.repeat(2000) }), oauthError('invalid_grant')),
  tokenCase('refresh_token: missing token', 'RFC 6749 6', (v) => tokenRequest(v.clients.web, { grant_type: 'refresh_token' }), oauthError('invalid_request')),
  tokenCase('refresh_token: junk token', 'RFC 6749 5.2 invalid_grant', (v) => tokenRequest(v.clients.web, { grant_type: 'refresh_token', refresh_token: 'junk' }), oauthError('invalid_grant')),
  tokenCase('refresh_token: an access token instead', 'RFC 6749 6', (v) => tokenRequest(v.clients.web, { grant_type: 'refresh_token', refresh_token: v.accessToken }), oauthError('invalid_grant')),
  tokenCase('POST /oauth/revoke with GET', 'RFC 7009 2.1 (POST)', () => ({ method: 'GET', path: '/oauth/revoke', headers: {} }), { ...oauthError('invalid_request', 405), headers: { allow: 'POST' } }),
  tokenCase('metadata document', 'RFC 8414 3.2', () => ({ method: 'GET', path: '/.well-known/oauth-authorization-server', headers: {} }), {
    status: 200,
    headers: { 'content-type': /^application\/json/ },
    check(a, v) {
      expect(a.json?.issuer).toBe(v.issuer);
      expect(a.json?.token_endpoint).toBe(`${v.issuer}/oauth/token`);
      expect(a.json?.code_challenge_methods_supported).toEqual(['S256']);
      expect(a.json?.authorization_response_iss_parameter_supported).toBe(true);
    },
  }),
];

function scenario(name: string, source: string, run: ScenarioCase['run']): ScenarioCase {
  return { kind: 'scenario', category: 'token', name, source, run };
}

const scenarios: ScenarioCase[] = [
  scenario('code exchange: tokens, no-store, usable at the API', 'RFC 6749 4.1.3, 4.1.4, 5.1', async (t) => {
    const grant = await obtainCode(t, 'web');
    const body = expectTokens(await redeem(t, 'web', grant));
    expect(body.refresh_token).toMatch(/^rt_/);
    expect((await callApi(t, body.access_token)).status).toBe(200);
  }),
  scenario('public client exchange with its verifier', 'RFC 7636 4.5, 4.6', async (t) => {
    const grant = await obtainCode(t, 'spa');
    expectTokens(await redeem(t, 'spa', grant));
  }),
  scenario('code reuse: invalid_grant, and the first tokens are revoked', 'RFC 6749 4.1.2 (SHOULD revoke tokens issued from the code); RFC 9700 4.5', async (t) => {
    const grant = await obtainCode(t, 'web');
    const first = expectTokens(await redeem(t, 'web', grant));
    expect((await callApi(t, first.access_token)).status).toBe(200);
    expectOAuthError(await redeem(t, 'web', grant), 400, 'invalid_grant');
    expect((await callApi(t, first.access_token)).status).toBe(401);
    expect((await introspect(t, t.values.clients.web, first.refresh_token!)).json).toEqual({ active: false });
  }),
  scenario('two concurrent redemptions: one wins, and its tokens are revoked', 'RFC 6749 4.1.2; RFC 9700 4.5', async (t) => {
    const grant = await obtainCode(t, 'web');
    const answers = await Promise.all([redeem(t, 'web', grant), redeem(t, 'web', grant)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
    const winner = answers.find((a) => a.status === 200)!;
    expectOAuthError(answers.find((a) => a.status === 400)!, 400, 'invalid_grant');
    expect((await callApi(t, String(winner.json!.access_token))).status).toBe(401);
  }),
  scenario('code of another client', 'RFC 6749 4.1.3 (code issued to the authenticated client)', async (t) => {
    const grant = await obtainCode(t, 'other');
    expectOAuthError(await redeem(t, 'web', grant), 400, 'invalid_grant');
  }),
  scenario('expired code', 'RFC 6749 4.1.2 (short lifetime, 10 minutes max)', async (t) => {
    const grant = await obtainCode(t, 'web');
    await later(t, 61_000, async () => expectOAuthError(await redeem(t, 'web', grant), 400, 'invalid_grant'));
  }),
  scenario('redirect_uri differs from the authorization request', 'RFC 6749 4.1.3', async (t) => {
    const grant = await obtainCode(t, 'web');
    expectOAuthError(await redeem(t, 'web', { ...grant, redirectUri: `${WEB_REDIRECT}/` }), 400, 'invalid_grant');
  }),
  scenario('redirect_uri missing at the token endpoint', 'RFC 6749 4.1.3 (REQUIRED if included in the request)', async (t) => {
    const grant = await obtainCode(t, 'web');
    const res = await t.send('authorizationServer', tokenRequest(t.values.clients.web, { grant_type: 'authorization_code', code: grant.code, code_verifier: grant.verifier }));
    expectOAuthError(res, 400, 'invalid_grant');
  }),
  scenario('PKCE downgrade: verifier sent for a code issued without a challenge', 'RFC 9700 4.8.2 (PKCE downgrade)', async (t) => {
    const grant = await obtainCode(t, 'web', { pkce: false });
    expectOAuthError(await redeem(t, 'web', { ...grant, verifier: generateCodeVerifier() }), 400, 'invalid_grant');
  }),
  scenario('PKCE: missing verifier', 'RFC 7636 4.6', async (t) => {
    const grant = await obtainCode(t, 'spa');
    expectOAuthError(await redeem(t, 'spa', { ...grant, verifier: undefined }), 400, 'invalid_grant');
  }),
  scenario('PKCE: wrong verifier', 'RFC 7636 4.6', async (t) => {
    const grant = await obtainCode(t, 'spa');
    expectOAuthError(await redeem(t, 'spa', { ...grant, verifier: generateCodeVerifier() }), 400, 'invalid_grant');
  }),
  scenario('PKCE: the challenge itself as the verifier', 'RFC 7636 4.6 (S256 transform)', async (t) => {
    const grant = await obtainCode(t, 'web');
    const { s256CodeChallenge } = await import('@auth/core');
    expectOAuthError(await redeem(t, 'web', { ...grant, verifier: s256CodeChallenge(grant.verifier) }), 400, 'invalid_grant');
  }),
  scenario('a code without PKCE from a confidential client still works', 'RFC 9700 2.1.1 (PKCE recommended for confidential clients)', async (t) => {
    const grant = await obtainCode(t, 'web', { pkce: false });
    expectTokens(await redeem(t, 'web', { ...grant, verifier: undefined }));
  }),
  scenario('client_credentials access token is usable, scoped as granted', 'RFC 6749 4.4.3; RFC 6750 2.1', async (t) => {
    const res = await t.send('authorizationServer', tokenRequest(t.values.clients.machine, { grant_type: 'client_credentials', scope: 'read' }));
    const body = expectTokens(res);
    const items = await t.send('resource', { method: 'POST', path: '/items', headers: { authorization: `Bearer ${body.access_token}` } });
    expect(items.status).toBe(403);
    expect(items.json?.error).toBe('insufficient_scope');
  }),
  scenario('a successful code exchange issues scopes from the authorization, not from the token request', 'RFC 6749 4.1.3', async (t) => {
    const grant = await obtainCode(t, 'web', { scope: 'read' });
    const res = await t.send('authorizationServer', tokenRequest(t.values.clients.web, { grant_type: 'authorization_code', code: grant.code, redirect_uri: grant.redirectUri, code_verifier: grant.verifier, scope: 'read write' }));
    expect(expectTokens(res).scope).toBe('read');
  }),
  scenario('codes are single-use even when the first redemption failed on the verifier', 'RFC 6749 4.1.2', async (t) => {
    const grant = await obtainCode(t, 'spa');
    expectOAuthError(await redeem(t, 'spa', { ...grant, verifier: generateCodeVerifier() }), 400, 'invalid_grant');
    expectOAuthError(await redeem(t, 'spa', grant), 400, 'invalid_grant');
  }),
  scenario('tokens from the code flow carry the user and client', 'RFC 7662 2.2', async (t) => {
    const body = await codeTokens(t, 'web');
    const info = await introspect(t, t.values.clients.web, body.access_token);
    expect(info.json).toMatchObject({ active: true, client_id: t.values.clients.web.id, sub: t.values.userId, scope: 'read' });
  }),
];

export const TOKEN_CASES: readonly (RequestCase | ScenarioCase)[] = [...single, ...scenarios];
