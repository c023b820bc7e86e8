/**
 * Building requests and reading answers: form posts, Basic credentials, parsing, and the normalisation
 * that makes two answers comparable (fresh tokens and codes differ between runs, nothing else may).
 *
 * @module
 */
import type { Answer, WireRequest, WireResponse } from './types.js';

/** `client_secret_basic` (RFC 6749 section 2.3.1: each part form-urlencoded before base64). */
export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

/** A form POST to `path`. `fields` is encoded with URLSearchParams unless it is already a string. */
export function formPost(path: string, fields: Record<string, string> | string, headers: Record<string, string | readonly string[]> = {}): WireRequest {
  return {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: typeof fields === 'string' ? fields : new URLSearchParams(fields).toString(),
  };
}

/** A GET with a query built from `params` (or a raw query string). */
export function get(path: string, params: Record<string, string> | string = '', headers: Record<string, string | readonly string[]> = {}): WireRequest {
  const query = typeof params === 'string' ? params : new URLSearchParams(params).toString();
  return { method: 'GET', path: query ? `${path}?${query}` : path, headers };
}

function first(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.[0];
}

/** Wrap a wire response with its parsed JSON body and a single-value header reader. */
export function toAnswer(res: WireResponse): Answer {
  const headers: Record<string, string | readonly string[] | undefined> = {};
  for (const [k, v] of Object.entries(res.headers)) headers[k.toLowerCase()] = v;
  let json: Record<string, unknown> | undefined;
  const type = first(headers['content-type']) ?? '';
  if (/json/i.test(type) && res.body !== '') {
    try {
      const parsed = JSON.parse(res.body) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
    } catch {
      json = undefined;
    }
  }
  return { ...res, headers, json, header: (name) => first(headers[name.toLowerCase()]) };
}

/** Issued secrets (`<prefix>_<38 base62>`, `<prefix>_<46 base62>` when time-ordered) and seals (`v1.<kid>.<iv>.<ct>`) differ on every issue. */
const SECRET_RE = /\b([a-z][a-z0-9]{0,15}(?:_[a-z][a-z0-9]{0,15})?)_(?:[0-9A-Za-z]{8})?[0-9A-Za-z]{38}\b/g;
const SEAL_RE = /\bv1\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g;

function scrub(text: string): string {
  return text.replace(SECRET_RE, '<$1>').replace(SEAL_RE, '<seal>');
}

/** Headers compared between the core and an adapter. */
const COMPARED_HEADERS = [
  'www-authenticate',
  'cache-control',
  'pragma',
  'allow',
  'location',
  'referrer-policy',
  'content-security-policy',
  'x-frame-options',
  'x-content-type-options',
] as const;

/** The comparable part of an answer: status, media type, the headers above, body with fresh values scrubbed. */
export function comparable(answer: Answer): Record<string, unknown> {
  const headers: Record<string, string | undefined> = {};
  for (const name of COMPARED_HEADERS) {
    const v = answer.header(name);
    headers[name] = v === undefined ? undefined : scrub(v);
  }
  const setCookie = answer.headers['set-cookie'];
  const cookies = (typeof setCookie === 'string' ? [setCookie] : (setCookie ?? [])).map((c) => c.split('=')[0]);
  const mediaType = (answer.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase() || undefined;
  return {
    status: answer.status,
    mediaType,
    headers,
    cookies,
    body: answer.json !== undefined ? JSON.parse(scrub(JSON.stringify(answer.json))) : scrub(answer.body),
  };
}

/** Every issued secret an answer carries (tokens in JSON, codes in a Location), to check logs against. */
export function issuedSecrets(answer: Answer): string[] {
  const out: string[] = [];
  for (const key of ['access_token', 'refresh_token', 'code']) {
    const v = answer.json?.[key];
    if (typeof v === 'string') out.push(v);
  }
  const location = answer.header('location');
  if (location) {
    try {
      const code = new URL(location).searchParams.get('code');
      if (code) out.push(code);
    } catch {
      // A relative location carries no code.
    }
  }
  return out;
}
