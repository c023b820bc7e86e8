/**
 * Checks shared by the runner and the scenarios.
 *
 * @module
 */
import { expect } from 'vitest';
import type { Answer, Expectation } from './types.js';
import type { ConformanceValues } from './fixture.js';

/** The `error` code an answer carries: JSON `error`, an HTML error page's code, or a redirect's `error`. */
export function errorOf(answer: Answer): string | undefined {
  if (answer.json && typeof answer.json.error === 'string') return answer.json.error;
  const location = answer.header('location');
  if (location) {
    try {
      return new URL(location).searchParams.get('error') ?? undefined;
    } catch {
      return undefined;
    }
  }
  const page = /<p class="err"><strong>([^<]*)<\/strong>/.exec(answer.body);
  return page?.[1];
}

/** Assert an expectation on an answer. */
export function assertExpectation(answer: Answer, e: Expectation, values: ConformanceValues): void {
  expect(answer.status, `status (body: ${answer.body.slice(0, 300)})`).toBe(e.status);
  if (e.error !== undefined) expect(errorOf(answer)).toBe(e.error);
  for (const [name, want] of Object.entries(e.headers ?? {})) {
    const got = answer.header(name);
    if (want === null) expect(got, `header ${name}`).toBeUndefined();
    else if (want instanceof RegExp) expect(got, `header ${name}`).toMatch(want);
    else expect(got, `header ${name}`).toBe(want);
  }
  e.check?.(answer, values);
}

/** An RFC 6749 section 5.2 error: status, JSON body with `error`, `no-store`. */
export function expectOAuthError(answer: Answer, status: number, error: string): void {
  expect(answer.status, answer.body.slice(0, 300)).toBe(status);
  expect(answer.json?.error).toBe(error);
  expect(answer.header('cache-control')).toBe('no-store');
  if (status === 401) expect(answer.header('www-authenticate')).toMatch(/^Basic /);
}

/** A successful token response (RFC 6749 section 5.1). */
export function expectTokens(answer: Answer): { access_token: string; refresh_token?: string; scope?: string } {
  expect(answer.status, answer.body.slice(0, 300)).toBe(200);
  expect(answer.header('cache-control')).toBe('no-store');
  expect(answer.header('pragma')).toBe('no-cache');
  expect(answer.json?.token_type).toBe('Bearer');
  expect(answer.json?.access_token).toEqual(expect.any(String));
  return answer.json as { access_token: string; refresh_token?: string; scope?: string };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point.
const CONTROL_RE = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** No control character (CR, LF, NUL...) reflected anywhere in the body or an error header. */
export function expectNoControlChars(answer: Answer): void {
  const body = answer.json ? JSON.stringify(answer.json) : answer.body;
  // JSON.stringify escapes controls, so also look at the decoded strings.
  const strings = answer.json ? Object.values(answer.json).filter((v): v is string => typeof v === 'string') : [];
  for (const s of [body, ...strings, answer.header('www-authenticate') ?? '', answer.header('location') ?? '']) {
    expect(CONTROL_RE.test(s), `control character in ${JSON.stringify(s).slice(0, 200)}`).toBe(false);
  }
}
