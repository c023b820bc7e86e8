/**
 * Reading the JSON bodies of the management routes, and picking only the fields a route accepts (so a
 * body naming `userId` or `ownerUserId` can never act for someone else).
 *
 * @module
 */
import { OAuthError } from '../../errors.js';
import type { Duration } from '../../util/duration.js';
import type { ExpiryInput } from '../credentials/credential-input.js';

/** Largest JSON body read. */
const MAX_BODY_BYTES = 64 * 1024;

function invalid(description: string, status = 400): OAuthError {
  return new OAuthError('invalid_request', description, { status });
}

/**
 * The JSON object of a request: `preParsed` when the framework already parsed it, else the body (at
 * most 64 KiB, `application/json`). An empty body is `{}`.
 */
export async function readJsonObject(request: Request, preParsed: unknown): Promise<Record<string, unknown>> {
  let value: unknown = preParsed;
  if (value === undefined || typeof value === 'string') {
    let text = typeof value === 'string' ? value : '';
    if (value === undefined && request.body) {
      const type = request.headers.get('content-type');
      const declared = Number(request.headers.get('content-length'));
      if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw invalid('The body is too large', 413);
      const reader = request.body.getReader();
      const chunks: Uint8Array[] = [];
      let size = 0;
      // Bounded: reading stops as soon as the body is too large.
      for (;;) {
        const { done, value: chunk } = await reader.read();
        if (done) break;
        size += chunk.byteLength;
        if (size > MAX_BODY_BYTES) {
          await reader.cancel().catch(() => {});
          throw invalid('The body is too large', 413);
        }
        chunks.push(chunk);
      }
      text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() !== '' && (type === null || type.split(';')[0]!.trim().toLowerCase() !== 'application/json')) {
        throw invalid('The body must be application/json', 415);
      }
    }
    if (text.trim() === '') return {};
    try {
      value = JSON.parse(text);
    } catch {
      throw invalid('The body is not valid JSON');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('The body must be a JSON object');
  return value as Record<string, unknown>;
}

/** `body` restricted to `allowed` fields; any other field is a 400 naming the accepted ones. */
export function pick(body: Record<string, unknown>, allowed: readonly string[]): Record<string, unknown> {
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) {
      throw invalid(`Unexpected field; this route accepts ${allowed.length ? allowed.join(', ') : 'no fields'}`);
    }
  }
  return body;
}

/** `expiresAt` as epoch ms or an ISO date string; `expiresIn` as a duration such as `90d` (or ms). */
export function expiryFields(body: Record<string, unknown>): ExpiryInput {
  const out: { expiresAt?: number; expiresIn?: Duration } = {};
  const at = body.expiresAt;
  if (at !== undefined && at !== null) {
    const ms = typeof at === 'string' ? Date.parse(at) : at;
    if (typeof ms !== 'number' || !Number.isFinite(ms)) throw invalid('`expiresAt` must be a time (epoch ms or ISO 8601)');
    out.expiresAt = ms;
  }
  const inn = body.expiresIn;
  if (inn !== undefined && inn !== null) {
    if (typeof inn !== 'string' && typeof inn !== 'number') throw invalid('`expiresIn` must be a duration such as "90d"');
    // The manager validates the value itself (400 on anything that is not a duration).
    out.expiresIn = inn as Duration;
  }
  // Both at once is refused by the manager with a clear 400, so the union is not narrowed here.
  return out as ExpiryInput;
}

/** An optional rotation overlap (`"24h"`, or ms), validated by the manager. */
export function overlapField(body: Record<string, unknown>): { overlap?: Duration } {
  const overlap = body.overlap;
  if (overlap === undefined || overlap === null) return {};
  if (typeof overlap !== 'string' && typeof overlap !== 'number') throw invalid('`overlap` must be a duration such as "24h"');
  return { overlap: overlap as Duration };
}
