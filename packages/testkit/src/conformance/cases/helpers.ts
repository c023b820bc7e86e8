/**
 * Small building blocks for cases: authorization requests with a signed-in browser, token requests,
 * and a way back to the code in a redirect.
 *
 * @module
 */
import { generateCodeVerifier, s256CodeChallenge } from '@auth/core';
import { expect } from 'vitest';
import { WEB_REDIRECT, type ConformanceClient, type ConformanceValues } from '../fixture.js';
import type { Answer, ScenarioContext, WireRequest } from '../types.js';
import { basic, formPost, get } from '../wire.js';

export const AUTHORIZE = '/oauth/authorize';
export const TOKEN = '/oauth/token';
export const REVOKE = '/oauth/revoke';
export const INTROSPECT = '/oauth/introspect';

/** A valid authorization request of the `web` client, overridable (`undefined` removes a parameter). */
export function authorizeParams(v: ConformanceValues, over: Record<string, string | undefined> = {}): Record<string, string> {
  const base: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: v.clients.web.id,
    redirect_uri: WEB_REDIRECT,
    scope: 'read',
    state: 'st-123',
    ...over,
  };
  return Object.fromEntries(Object.entries(base).filter((e): e is [string, string] => e[1] !== undefined));
}

/** GET the authorization endpoint as the fixture's signed-in user. */
export function authorizeRequest(v: ConformanceValues, params: Record<string, string> | string): WireRequest {
  return get(AUTHORIZE, params, { cookie: v.cookie });
}

/** Token endpoint request, authenticated with Basic when the client has a secret (else `client_id`). */
export function tokenRequest(client: ConformanceClient, fields: Record<string, string>, mode: 'basic' | 'post' = 'basic'): WireRequest {
  if (client.secret === undefined) return formPost(TOKEN, { ...fields, client_id: client.id });
  if (mode === 'post') return formPost(TOKEN, { ...fields, client_id: client.id, client_secret: client.secret });
  return formPost(TOKEN, fields, { authorization: basic(client.id, client.secret) });
}

/** The code in a 303 to the client. */
export function codeFrom(answer: Answer): string {
  expect(answer.status, answer.body.slice(0, 300)).toBe(303);
  const code = new URL(answer.header('location')!).searchParams.get('code');
  expect(code).toEqual(expect.any(String));
  return code!;
}

/** Obtain a code for `client` (PKCE S256 unless `pkce: false`). */
export async function obtainCode(
  t: ScenarioContext,
  client: 'web' | 'spa' | 'other',
  options: { pkce?: boolean; scope?: string } = {},
): Promise<{ code: string; verifier: string; redirectUri: string }> {
  const v = t.values;
  const verifier = generateCodeVerifier();
  const redirectUri = client === 'spa' ? 'http://127.0.0.1:4001/callback' : client === 'other' ? 'https://other.example.com/cb' : WEB_REDIRECT;
  const params = authorizeParams(v, {
    client_id: v.clients[client].id,
    redirect_uri: redirectUri,
    scope: options.scope ?? 'read',
    code_challenge: options.pkce === false ? undefined : s256CodeChallenge(verifier),
    code_challenge_method: options.pkce === false ? undefined : 'S256',
  });
  const code = codeFrom(await t.send('authorizationServer', authorizeRequest(v, params)));
  return { code, verifier, redirectUri };
}

/** Exchange a code. */
export function redeem(
  t: ScenarioContext,
  client: 'web' | 'spa' | 'other',
  grant: { code: string; verifier?: string; redirectUri: string },
): Promise<Answer> {
  const fields: Record<string, string> = { grant_type: 'authorization_code', code: grant.code, redirect_uri: grant.redirectUri };
  if (grant.verifier !== undefined) fields.code_verifier = grant.verifier;
  return t.send('authorizationServer', tokenRequest(t.values.clients[client], fields));
}

/** Tokens for `client` by the authorization code flow. */
export async function codeTokens(t: ScenarioContext, client: 'web' | 'spa' | 'other' = 'web', scope = 'read') {
  const grant = await obtainCode(t, client, { scope });
  const res = await redeem(t, client, grant);
  expect(res.status, res.body).toBe(200);
  return res.json as { access_token: string; refresh_token: string; scope: string; expires_in: number };
}

/** Refresh with `client`. */
export function refresh(t: ScenarioContext, client: ConformanceClient, refreshToken: string, scope?: string): Promise<Answer> {
  const fields: Record<string, string> = { grant_type: 'refresh_token', refresh_token: refreshToken };
  if (scope !== undefined) fields.scope = scope;
  return t.send('authorizationServer', tokenRequest(client, fields));
}

/** Call `/me` with a Bearer token. */
export function callApi(t: ScenarioContext, token: string): Promise<Answer> {
  return t.send('resource', get('/me', '', { authorization: `Bearer ${token}` }));
}

/** Introspect `token` as `client`. */
export function introspect(t: ScenarioContext, client: ConformanceClient, token: string): Promise<Answer> {
  return t.send('authorizationServer', formPost(INTROSPECT, { token }, { authorization: basic(client.id, client.secret!) }));
}

/** Revoke `token` as `client` (public clients by `client_id`). */
export function revoke(t: ScenarioContext, client: ConformanceClient, token: string, hint?: string): Promise<Answer> {
  const fields: Record<string, string> = { token };
  if (hint) fields.token_type_hint = hint;
  if (client.secret === undefined) return t.send('authorizationServer', formPost(REVOKE, { ...fields, client_id: client.id }));
  return t.send('authorizationServer', formPost(REVOKE, fields, { authorization: basic(client.id, client.secret) }));
}

/** Run `fn` with the fixture's clock moved forward by `ms`, then put it back. */
export async function later<T>(t: ScenarioContext, ms: number, fn: () => Promise<T>): Promise<T> {
  t.fixture.clock.offsetMs += ms;
  try {
    return await fn();
  } finally {
    t.fixture.clock.offsetMs -= ms;
  }
}

export { generateCodeVerifier, s256CodeChallenge };
