/**
 * Reading credential headers through a {@link HeaderAccessor}: the verifier's only view of a request, so
 * Node frameworks pass their header object without building a Web `Request`.
 *
 * @module
 */
import { InvalidRequestError, type ChallengeOptions } from '../../errors.js';

/**
 * Returns a request header by its lowercase name: a string, an array (Node's `req.headers` for a few
 * repeated headers), or null/undefined when absent.
 *
 * @example
 * ```ts
 * const express: HeaderAccessor = (name) => req.headers[name];
 * const web: HeaderAccessor = (name) => request.headers.get(name);
 * ```
 */
export type HeaderAccessor = (lowercaseName: string) => string | readonly string[] | null | undefined;

/** Returns a query parameter by name, for the opt-in query-parameter API key. Same shape as a header. */
export type QueryAccessor = (name: string) => string | readonly string[] | null | undefined;

/** How {@link readSingleValue} judges a value. */
export interface SingleValueRules {
  /** Name used in error messages (never the value). */
  label: string;
  maxLength: number;
  /**
   * Refuse commas: Node and `Headers.get` join a repeated header with ", ", and none of our credential
   * values contains a comma, so one means the header was sent twice.
   */
  noCommas: boolean;
  /** Allow spaces inside the value (only `Authorization` has them, between scheme and token). */
  allowSpaces: boolean;
  /** Challenge for the error (scheme, realm). */
  challenge: ChallengeOptions;
}

const OWS_EDGES = /^[ \t]+|[ \t]+$/g;
/** Printable ASCII and space; anything else (controls, DEL, non-ASCII) is refused. */
const INVALID_CHARS = /[^\x20-\x7e]/;

/**
 * One value of a header or query parameter that must appear at most once: `undefined` when absent, the
 * trimmed value otherwise (possibly empty). Throws {@link InvalidRequestError} (400) for repeats,
 * oversize values and characters outside printable ASCII.
 */
export function readSingleValue(
  raw: string | readonly string[] | null | undefined,
  rules: SingleValueRules,
): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  let value: string;
  if (typeof raw === 'string') {
    value = raw;
  } else if (Array.isArray(raw)) {
    if (raw.length === 0) return undefined;
    if (raw.length > 1) throw new InvalidRequestError(`The ${rules.label} was sent more than once`, rules.challenge);
    value = raw[0];
    if (typeof value !== 'string') throw new InvalidRequestError(`The ${rules.label} is malformed`, rules.challenge);
  } else {
    throw new InvalidRequestError(`The ${rules.label} is malformed`, rules.challenge);
  }
  if (value.length > rules.maxLength) throw new InvalidRequestError(`The ${rules.label} is too long`, rules.challenge);
  value = value.replace(OWS_EDGES, '');
  if (INVALID_CHARS.test(value)) {
    throw new InvalidRequestError(`The ${rules.label} contains characters that are not allowed`, rules.challenge);
  }
  if (rules.noCommas && value.includes(',')) {
    throw new InvalidRequestError(`The ${rules.label} was sent more than once`, rules.challenge);
  }
  if (!rules.allowSpaces && value.includes(' ')) {
    throw new InvalidRequestError(`The ${rules.label} is malformed`, rules.challenge);
  }
  return value;
}

/** What {@link nodeHeaderAccessor} reads: a Node `IncomingMessage` (or a framework request wrapping one). */
export interface NodeHeaderSource {
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** Every line of every header, unjoined (Node >= 18.3). */
  headersDistinct?: Readonly<Record<string, readonly string[] | undefined>>;
  /** Names and values as received, alternating (read first: cheaper than `headersDistinct`). */
  rawHeaders?: readonly string[];
}

function authorizationLines(req: NodeHeaderSource): readonly string[] | string | undefined {
  // rawHeaders first: `headersDistinct` is a getter that builds an array for every header of the
  // request, a cost paid on every verification for the one header we need.
  const raw = req.rawHeaders;
  if (Array.isArray(raw)) {
    let first: string | undefined;
    let repeated: string[] | undefined;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = raw[i]!;
      // 13 === 'authorization'.length: no lowercase copy of every other header name, nor of the usual
      // spellings of this one.
      if (name.length !== 13) continue;
      if (name !== 'authorization' && name !== 'Authorization' && name.toLowerCase() !== 'authorization') continue;
      if (first === undefined) first = raw[i + 1]!;
      else (repeated ??= [first]).push(raw[i + 1]!);
    }
    return repeated ?? first;
  }
  if (req.headersDistinct) return req.headersDistinct.authorization;
  return req.headers.authorization as string | undefined;
}

/**
 * The {@link HeaderAccessor} for a Node request. Node keeps only the FIRST line of a repeated
 * `Authorization` header in `req.headers` (it joins most other repeats with ", "), so a request carrying
 * two credentials would be judged on one of them; `authorization` is therefore read from `rawHeaders`
 * (or `headersDistinct`), where the repeat is visible and refused like a joined one.
 *
 * @example
 * ```ts
 * const principal = await auth.verify(nodeHeaderAccessor(req), { httpMethod: req.method });
 * ```
 */
export function nodeHeaderAccessor(req: NodeHeaderSource): HeaderAccessor {
  return (name) => (name === 'authorization' ? authorizationLines(req) : req.headers[name]);
}
