/**
 * The one place that touches `next/headers`: everything else takes the `Cookie` header as a value, so it
 * runs (and is tested) outside a Next.js request.
 *
 * @module
 */
import { headers } from 'next/headers.js';

/**
 * The `Cookie` header of the request being served (Server Component, Server Action or Route Handler),
 * exactly as the browser sent it.
 *
 * Read from `headers()` rather than `cookies()`: `cookies()` collapses repeated names to one value, which
 * would hide a planted duplicate session cookie that the core deliberately treats as no session.
 * Both are request-time APIs (async since Next.js 15) and make the caller dynamic.
 */
export async function requestCookieHeader(): Promise<string | null> {
  return (await headers()).get('cookie');
}
