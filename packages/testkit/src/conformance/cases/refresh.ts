/**
 * Refresh tokens (RFC 6749 section 6; RFC 9700 4.14: rotation, reuse detection).
 *
 * @module
 */
import { expect } from 'vitest';
import { expectOAuthError, expectTokens } from '../expect-answer.js';
import type { ScenarioCase } from '../types.js';
import { callApi, codeTokens, introspect, later, refresh, revoke, tokenRequest } from './helpers.js';
import { PASSWORD_USER } from '../fixture.js';

function scenario(name: string, source: string, run: ScenarioCase['run']): ScenarioCase {
  return { kind: 'scenario', category: 'refresh', name, source, run };
}

export const REFRESH_CASES: readonly ScenarioCase[] = [
  scenario('rotation: a new refresh token each time, the new access token works', 'RFC 9700 4.14.2 (rotation)', async (t) => {
    const first = await codeTokens(t, 'web');
    const next = expectTokens(await refresh(t, t.values.clients.web, first.refresh_token));
    expect(next.refresh_token).toMatch(/^rt_/);
    expect(next.refresh_token).not.toBe(first.refresh_token);
    expect((await callApi(t, next.access_token)).status).toBe(200);
  }),
  scenario('grace: replaying the rotated token returns the identical successor', 'RFC 9700 4.14.2; RFC 6749 6 (idempotent retry)', async (t) => {
    const first = await codeTokens(t, 'web');
    const a = expectTokens(await refresh(t, t.values.clients.web, first.refresh_token));
    const b = expectTokens(await refresh(t, t.values.clients.web, first.refresh_token));
    expect(b.access_token).toBe(a.access_token);
    expect(b.refresh_token).toBe(a.refresh_token);
    expect((await callApi(t, b.access_token)).status).toBe(200);
  }),
  scenario('concurrent refreshes of one token get the same successor', 'RFC 9700 4.14.2', async (t) => {
    const first = await codeTokens(t, 'web');
    const answers = await Promise.all([1, 2, 3].map(() => refresh(t, t.values.clients.web, first.refresh_token)));
    const bodies = answers.map((a) => expectTokens(a));
    expect(new Set(bodies.map((b) => b.refresh_token)).size).toBe(1);
  }),
  scenario('reuse after the grace window revokes the whole family', 'RFC 9700 4.14.2 (reuse detection)', async (t) => {
    const first = await codeTokens(t, 'web');
    const next = expectTokens(await refresh(t, t.values.clients.web, first.refresh_token));
    await later(t, 6 * 60_000, async () => {
      expectOAuthError(await refresh(t, t.values.clients.web, first.refresh_token), 400, 'invalid_grant');
      expectOAuthError(await refresh(t, t.values.clients.web, next.refresh_token!), 400, 'invalid_grant');
      expect((await callApi(t, next.access_token)).status).toBe(401);
    });
  }),
  scenario('replay of an older ancestor (successor already used) revokes the family', 'RFC 9700 4.14.2', async (t) => {
    const first = await codeTokens(t, 'web');
    const second = expectTokens(await refresh(t, t.values.clients.web, first.refresh_token));
    const third = expectTokens(await refresh(t, t.values.clients.web, second.refresh_token!));
    expectOAuthError(await refresh(t, t.values.clients.web, first.refresh_token), 400, 'invalid_grant');
    expect((await callApi(t, third.access_token)).status).toBe(401);
    expectOAuthError(await refresh(t, t.values.clients.web, third.refresh_token!), 400, 'invalid_grant');
  }),
  scenario('another client\'s refresh token: invalid_grant, and the owner is not harmed', 'RFC 6749 6 (token bound to the client); RFC 9700 4.14', async (t) => {
    const theirs = await codeTokens(t, 'other');
    expectOAuthError(await refresh(t, t.values.clients.web, theirs.refresh_token), 400, 'invalid_grant');
    expectTokens(await refresh(t, t.values.clients.other, theirs.refresh_token));
  }),
  scenario('expired refresh token', 'RFC 6749 6; seed 000 (48 h lifetime)', async (t) => {
    const first = await codeTokens(t, 'web');
    await later(t, 49 * 3600_000, async () => expectOAuthError(await refresh(t, t.values.clients.web, first.refresh_token), 400, 'invalid_grant'));
  }),
  scenario('revoked refresh token', 'RFC 7009 2.1; RFC 6749 6', async (t) => {
    const first = await codeTokens(t, 'web');
    expect((await revoke(t, t.values.clients.web, first.refresh_token)).status).toBe(200);
    expectOAuthError(await refresh(t, t.values.clients.web, first.refresh_token), 400, 'invalid_grant');
  }),
  scenario('scope widening on refresh: invalid_scope', 'RFC 6749 6 (MUST NOT include any scope not originally granted)', async (t) => {
    const first = await codeTokens(t, 'web', 'read');
    expectOAuthError(await refresh(t, t.values.clients.web, first.refresh_token, 'read write'), 400, 'invalid_scope');
    expectTokens(await refresh(t, t.values.clients.web, first.refresh_token));
  }),
  scenario('scope narrowing on refresh, then back to the original scope', 'RFC 6749 6 (omitted scope = originally granted)', async (t) => {
    const first = await codeTokens(t, 'web', 'read write');
    const narrow = expectTokens(await refresh(t, t.values.clients.web, first.refresh_token, 'read'));
    expect(narrow.scope).toBe('read');
    const wide = expectTokens(await refresh(t, t.values.clients.web, narrow.refresh_token!, 'read write'));
    expect(wide.scope).toBe('read write');
  }),
  scenario('public client refreshes with client_id only', 'RFC 6749 6; RFC 9700 4.14.2', async (t) => {
    const first = await codeTokens(t, 'spa');
    expectTokens(await refresh(t, t.values.clients.spa, first.refresh_token));
  }),
  scenario('password grant refresh token rotates too', 'RFC 6749 4.3.3, 6', async (t) => {
    const res = await t.send('authorizationServer', tokenRequest(t.values.clients.password, { grant_type: 'password', ...PASSWORD_USER }));
    const first = expectTokens(res);
    const next = expectTokens(await refresh(t, t.values.clients.password, first.refresh_token!));
    expect(next.refresh_token).not.toBe(first.refresh_token);
    expect((await introspect(t, t.values.clients.password, next.access_token)).json?.active).toBe(true);
  }),
];
