/**
 * Token revocation (RFC 7009) and introspection (RFC 7662).
 *
 * @module
 */
import { expect } from 'vitest';
import { expectNoControlChars, expectTokens } from '../expect-answer.js';
import type { ConformanceValues } from '../fixture.js';
import type { Category, Expectation, RequestCase, ScenarioCase, WireRequest } from '../types.js';
import { basic, formPost } from '../wire.js';
import { callApi, codeTokens, INTROSPECT, introspect, later, refresh, REVOKE, revoke, tokenRequest } from './helpers.js';

function req(category: Category, name: string, source: string, request: (v: ConformanceValues) => WireRequest, expect: Expectation): RequestCase {
  return { kind: 'request', category, name, source, target: 'authorizationServer', request, expect };
}
function scenario(category: Category, name: string, source: string, run: ScenarioCase['run']): ScenarioCase {
  return { kind: 'scenario', category, name, source, run };
}

const ok200: Expectation = { status: 200, headers: { 'cache-control': 'no-store' }, check: (a) => expect(a.body).toBe('') };
const inactive: Expectation = {
  status: 200,
  headers: { 'content-type': /^application\/json/, 'cache-control': 'no-store' },
  check: (a) => expect(a.json).toEqual({ active: false }),
};
const err = (error: string, status = error === 'invalid_client' ? 401 : 400): Expectation => ({
  status,
  error,
  headers: { 'cache-control': 'no-store', 'www-authenticate': status === 401 ? /^Basic / : null },
  check: (a) => expectNoControlChars(a),
});
const web = (v: ConformanceValues) => basic(v.clients.web.id, v.clients.web.secret!);

const revocation: (RequestCase | ScenarioCase)[] = [
  req('revocation', 'garbage token: 200', 'RFC 7009 2.2 (invalid tokens do not cause an error)', (v) => formPost(REVOKE, { token: 'garbage' }, { authorization: web(v) }), ok200),
  req('revocation', 'unknown well-formed token: 200', 'RFC 7009 2.2', (v) => formPost(REVOKE, { token: `rt_${'A'.repeat(38)}` }, { authorization: web(v) }), ok200),
  req('revocation', 'unknown token_type_hint: still 200', 'RFC 7009 2.1 (hint may be ignored)', (v) => formPost(REVOKE, { token: 'garbage', token_type_hint: 'id_token' }, { authorization: web(v) }), ok200),
  req('revocation', 'missing token', 'RFC 7009 2.1 (token REQUIRED)', (v) => formPost(REVOKE, {}, { authorization: web(v) }), err('invalid_request')),
  req('revocation', 'no client authentication', 'RFC 7009 2.1; RFC 6749 2.3', () => formPost(REVOKE, { token: 'garbage' }), err('invalid_client')),
  req('revocation', 'wrong client secret', 'RFC 7009 2.2.1 (invalid_client per RFC 6749 5.2)', (v) => formPost(REVOKE, { token: 'garbage' }, { authorization: basic(v.clients.web.id, 'wrong-secret') }), err('invalid_client')),
  req('revocation', 'JSON body', 'RFC 7009 2.1 (form-encoded)', (v) => ({ method: 'POST', path: REVOKE, headers: { 'content-type': 'application/json', authorization: web(v) }, body: '{"token":"x"}' }), err('invalid_request')),
  req('revocation', 'repeated token parameter', 'RFC 6749 3.2', (v) => formPost(REVOKE, 'token=a&token=b', { authorization: web(v) }), err('invalid_request')),
  scenario('revocation', 'revoke an access token: the API refuses it', 'RFC 7009 2.1', async (t) => {
    const body = await codeTokens(t, 'web');
    expect((await revoke(t, t.values.clients.web, body.access_token, 'access_token')).status).toBe(200);
    expect((await callApi(t, body.access_token)).status).toBe(401);
  }),
  scenario('revocation', 'revoke a refresh token: the family and its access tokens go', 'RFC 7009 2.1 (SHOULD also invalidate access tokens)', async (t) => {
    const body = await codeTokens(t, 'web');
    expect((await revoke(t, t.values.clients.web, body.refresh_token, 'refresh_token')).status).toBe(200);
    expect((await callApi(t, body.access_token)).status).toBe(401);
  }),
  scenario('revocation', 'wrong token_type_hint still revokes', 'RFC 7009 2.1 (server extends its search)', async (t) => {
    const body = await codeTokens(t, 'web');
    expect((await revoke(t, t.values.clients.web, body.access_token, 'refresh_token')).status).toBe(200);
    expect((await callApi(t, body.access_token)).status).toBe(401);
  }),
  scenario('revocation', 'another client\'s token: 200 and nothing revoked', 'RFC 7009 2.1 (token issued to the requesting client)', async (t) => {
    const theirs = await codeTokens(t, 'other');
    expect((await revoke(t, t.values.clients.web, theirs.access_token)).status).toBe(200);
    expect((await revoke(t, t.values.clients.web, theirs.refresh_token)).status).toBe(200);
    expect((await callApi(t, theirs.access_token)).status).toBe(200);
    expectTokens(await refresh(t, t.values.clients.other, theirs.refresh_token));
  }),
  scenario('revocation', 'public client revokes its own token with client_id', 'RFC 7009 2.1; RFC 6749 2.3', async (t) => {
    const body = await codeTokens(t, 'spa');
    expect((await revoke(t, t.values.clients.spa, body.refresh_token)).status).toBe(200);
    expect((await callApi(t, body.access_token)).status).toBe(401);
  }),
  scenario('revocation', 'revoking twice: 200 both times', 'RFC 7009 2.2', async (t) => {
    const body = await codeTokens(t, 'web');
    expect((await revoke(t, t.values.clients.web, body.access_token)).status).toBe(200);
    expect((await revoke(t, t.values.clients.web, body.access_token)).status).toBe(200);
  }),
  scenario('revocation', 'a personal token sent to the OAuth revocation endpoint is left alone', 'RFC 7009 2.1 (tokens of this server\'s clients only)', async (t) => {
    expect((await revoke(t, t.values.clients.web, t.values.pat)).status).toBe(200);
    expect((await callApi(t, t.values.pat)).status).toBe(200);
  }),
];

const introspection: (RequestCase | ScenarioCase)[] = [
  req('introspection', 'garbage token: {"active":false}', 'RFC 7662 2.2', (v) => formPost(INTROSPECT, { token: 'garbage' }, { authorization: web(v) }), inactive),
  req('introspection', 'a personal token: {"active":false}', 'RFC 7662 2.2', (v) => formPost(INTROSPECT, { token: v.pat }, { authorization: web(v) }), inactive),
  req('introspection', 'another client\'s token: {"active":false}', 'RFC 7662 2.1 (MUST NOT reveal to other parties); RFC 7662 4', (v) => formPost(INTROSPECT, { token: v.accessToken }, { authorization: web(v) }), inactive),
  req('introspection', 'missing token', 'RFC 7662 2.1 (token REQUIRED)', (v) => formPost(INTROSPECT, {}, { authorization: web(v) }), err('invalid_request')),
  req('introspection', 'no client authentication', 'RFC 7662 2.1 (MUST require authorization)', () => formPost(INTROSPECT, { token: 'garbage' }), err('invalid_client')),
  req('introspection', 'public client (client_id only)', 'RFC 7662 2.1; RFC 7662 4 (token scanning)', (v) => formPost(INTROSPECT, { token: 'garbage', client_id: v.clients.spa.id }), err('invalid_client')),
  req('introspection', 'wrong client secret', 'RFC 7662 2.1', (v) => formPost(INTROSPECT, { token: 'garbage' }, { authorization: basic(v.clients.web.id, 'wrong-secret') }), err('invalid_client')),
  req('introspection', 'GET: 405', 'RFC 7662 2.1 (POST)', () => ({ method: 'GET', path: `${INTROSPECT}?token=x`, headers: {} }), { ...err('invalid_request', 405), headers: { allow: 'POST' } }),
  scenario('introspection', 'own access token: active with its claims', 'RFC 7662 2.2', async (t) => {
    const body = await codeTokens(t, 'web');
    const info = await introspect(t, t.values.clients.web, body.access_token);
    expect(info.header('cache-control')).toBe('no-store');
    expect(info.json).toMatchObject({ active: true, token_type: 'Bearer', scope: 'read', client_id: t.values.clients.web.id, iss: t.values.issuer });
    expect(info.json?.exp).toEqual(expect.any(Number));
  }),
  scenario('introspection', 'own refresh token: active', 'RFC 7662 2.2', async (t) => {
    const body = await codeTokens(t, 'web');
    expect((await introspect(t, t.values.clients.web, body.refresh_token)).json).toMatchObject({ active: true, token_type: 'refresh_token' });
  }),
  scenario('introspection', 'revoked token: inactive', 'RFC 7662 2.2; RFC 7009 2', async (t) => {
    const body = await codeTokens(t, 'web');
    await revoke(t, t.values.clients.web, body.access_token);
    expect((await introspect(t, t.values.clients.web, body.access_token)).json).toEqual({ active: false });
  }),
  scenario('introspection', 'expired token: inactive', 'RFC 7662 2.2', async (t) => {
    const body = await codeTokens(t, 'web');
    await later(t, 2 * 3600_000, async () => expect((await introspect(t, t.values.clients.web, body.access_token)).json).toEqual({ active: false }));
  }),
  scenario('introspection', 'rotated refresh token after the grace window: inactive', 'RFC 7662 2.2; RFC 9700 4.14.2', async (t) => {
    const body = await codeTokens(t, 'web');
    expectTokens(await refresh(t, t.values.clients.web, body.refresh_token));
    await later(t, 6 * 60_000, async () => expect((await introspect(t, t.values.clients.web, body.refresh_token)).json).toEqual({ active: false }));
  }),
  scenario('introspection', 'machine token introspected by its own client', 'RFC 7662 2.2', async (t) => {
    const res = await t.send('authorizationServer', tokenRequest(t.values.clients.machine, { grant_type: 'client_credentials' }));
    const body = expectTokens(res);
    expect((await introspect(t, t.values.clients.machine, body.access_token)).json).toMatchObject({ active: true, sub: t.values.clients.machine.id });
  }),
];

export const REVOCATION_CASES: readonly (RequestCase | ScenarioCase)[] = [...revocation, ...introspection];
