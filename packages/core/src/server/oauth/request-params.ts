/**
 * Reading OAuth request parameters from a query string or a form body, whether or not the host framework
 * already parsed the body. RFC 6749 section 3.1: empty parameters count as omitted, and no parameter may
 * appear twice.
 *
 * @module
 */
import { OAuthError } from '../../errors.js';

/** A body the host framework already parsed (Express `req.body`, Fastify `request.body`...). */
export type PreParsedBody = URLSearchParams | Record<string, string | string[]>;

/** Request parameters, each present at most once. */
export type Params = ReadonlyMap<string, string>;

const SAFE_NAME_RE = /^[A-Za-z0-9_.-]{1,64}$/;

function repeated(name: string): OAuthError {
  // Only a plain name is reflected, so a hostile parameter name cannot smuggle markup or control characters.
  return new OAuthError(
    'invalid_request',
    SAFE_NAME_RE.test(name) ? `Parameter "${name}" is repeated` : 'A parameter is repeated',
  );
}

/** Collect parameters, refusing duplicates. Empty values are treated as omitted. */
export function collectParams(entries: Iterable<[string, unknown]>): Map<string, string> {
  const out = new Map<string, string>();
  const seen = new Set<string>();
  for (const [name, raw] of entries) {
    const values = Array.isArray(raw) ? raw : [raw];
    for (const value of values) {
      if (typeof value !== 'string') throw new OAuthError('invalid_request', 'Parameters must be strings');
      if (seen.has(name)) throw repeated(name);
      seen.add(name);
      if (value !== '') out.set(name, value);
    }
  }
  return out;
}

/** The query parameters of a URL, duplicates refused. */
export function queryParams(url: URL): Map<string, string> {
  return collectParams(url.searchParams.entries());
}

/**
 * A form-encoded request as plain parts: how the back-channel endpoints read their input, whether it came
 * as a Web `Request` or straight from a Node framework.
 */
export interface FormInput {
  /** A request header by lowercase name, null when absent. Repeats are the caller's to refuse. */
  header(name: string): string | null;
  /** The body as the host has it: see {@link FormBody}. */
  body: FormBody;
}

/**
 * A request body as a host may hold it: a form its parser already made (`PreParsedBody`), text or bytes
 * it read (parsed here as a form), or the unread stream (read here, at most `maxBodyBytes`).
 * `'consumed'`: the host read the stream without keeping the result.
 */
export type FormBody =
  | PreParsedBody
  | string
  | Uint8Array
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>
  | 'consumed'
  | null
  | undefined;

function isFormType(type: string | null): boolean {
  if (type === null) return false;
  const semi = type.indexOf(';');
  return (semi === -1 ? type : type.slice(0, semi)).trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

function isAsyncIterable(value: object): value is AsyncIterable<Uint8Array> {
  return typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}

/**
 * The form parameters of a POST, from whatever body the host holds. Anything but
 * `application/x-www-form-urlencoded` is `invalid_request`, and so is a body over `maxBytes`, whoever
 * read it: a host parser with a larger limit must not widen it.
 */
export async function readFormParams(input: FormInput, maxBytes: number): Promise<Map<string, string>> {
  if (!isFormType(input.header('content-type'))) {
    throw new OAuthError('invalid_request', 'The body must be application/x-www-form-urlencoded');
  }
  const declared = Number(input.header('content-length') ?? '0');
  if (declared > maxBytes) throw new OAuthError('invalid_request', 'The request body is too large');
  const body = input.body;
  if (body === undefined || body === null) return new Map();
  if (body === 'consumed') {
    // The host read the stream without handing us the result: an adapter bug, reported as a client error
    // so it never turns into a 500 in production.
    throw new OAuthError('invalid_request', 'The request body was already consumed');
  }
  if (typeof body === 'string') {
    if (Buffer.byteLength(body) > maxBytes) throw new OAuthError('invalid_request', 'The request body is too large');
    return collectParams(new URLSearchParams(body).entries());
  }
  if (body instanceof Uint8Array) {
    if (body.byteLength > maxBytes) throw new OAuthError('invalid_request', 'The request body is too large');
    return collectParams(new URLSearchParams(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')).entries());
  }
  if (body instanceof URLSearchParams) return limited(collectParams(body.entries()), maxBytes);
  if (typeof body !== 'object') throw new OAuthError('invalid_request', 'The body must be application/x-www-form-urlencoded');
  if (body instanceof ReadableStream) return collectParams(new URLSearchParams(await readStream(body, maxBytes)).entries());
  if (isNodeReadable(body)) return collectParams(new URLSearchParams(await readNodeStream(body, maxBytes)).entries());
  if (isAsyncIterable(body)) return collectParams(new URLSearchParams(await readIterable(body, maxBytes)).entries());
  return limited(collectParams(Object.entries(body)), maxBytes);
}

/** The {@link FormInput} of a Web `Request`, with the body the host parsed when it did. */
export function webFormInput(request: Request, preParsed: PreParsedBody | undefined): FormInput {
  return {
    header: (name) => request.headers.get(name),
    body: preParsed !== undefined ? preParsed : request.bodyUsed ? 'consumed' : request.body,
  };
}

/**
 * The form parameters of a Web `Request` POST. Uses `preParsed` when the host already consumed the body;
 * otherwise reads at most `maxBytes`. Anything but `application/x-www-form-urlencoded` is `invalid_request`.
 */
export function formParams(
  request: Request,
  preParsed: PreParsedBody | undefined,
  maxBytes: number,
): Promise<Map<string, string>> {
  if (preParsed !== undefined && (typeof preParsed !== 'object' || preParsed === null)) {
    return Promise.reject(new OAuthError('invalid_request', 'The body must be application/x-www-form-urlencoded'));
  }
  return readFormParams(webFormInput(request, preParsed), maxBytes);
}

/** Parameters parsed by the host, refused when their decoded size alone exceeds the limit (chunked bodies). */
function limited(params: Map<string, string>, maxBytes: number): Map<string, string> {
  let size = 0;
  for (const [name, value] of params) size += name.length + value.length + 2;
  if (size > maxBytes) throw new OAuthError('invalid_request', 'The request body is too large');
  return params;
}

function tooLarge(): OAuthError {
  return new OAuthError('invalid_request', 'The request body is too large');
}

async function readStream(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<string> {
  const reader = stream.getReader();
  return readChunks(() => reader.read(), maxBytes, () => reader.cancel().catch(() => {}));
}

/**
 * A Node request stream (`IncomingMessage` is async-iterable). Driven by hand: leaving a `for await` early
 * destroys the stream, and the request belongs to the HTTP server that still has to send the 400.
 */
function readIterable(body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<string> {
  const iterator = body[Symbol.asyncIterator]();
  return readChunks(() => iterator.next(), maxBytes);
}

/** Body chunks up to `maxBytes`, as UTF-8 text: what every streamed body reader shares. */
class BodyText {
  readonly #chunks: Uint8Array[] = [];
  #size = 0;
  readonly #maxBytes: number;
  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }
  /** Keep `chunk`; `false` (and nothing kept) once the body would exceed the limit. */
  add(chunk: Uint8Array | string): boolean {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.#size += bytes.byteLength;
    if (this.#size > this.#maxBytes) return false;
    this.#chunks.push(bytes);
    return true;
  }
  text(): string {
    const only = this.#chunks.length === 1 ? this.#chunks[0]! : undefined;
    return only && Buffer.isBuffer(only) ? only.toString('utf8') : Buffer.concat(this.#chunks).toString('utf8');
  }
}

function unreadable(cause: unknown): OAuthError {
  return new OAuthError('invalid_request', 'The request body could not be read', { cause });
}

/** What {@link readNodeStream} uses of a Node `Readable` (an `IncomingMessage`). */
interface NodeReadable {
  on(event: string, listener: (...args: never[]) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
  pause(): unknown;
  readonly readableEnded: boolean;
}

function isNodeReadable(value: object): value is NodeReadable {
  const v = value as Partial<NodeReadable>;
  return typeof v.on === 'function' && typeof v.removeListener === 'function' && typeof v.pause === 'function' && typeof v.readableEnded === 'boolean';
}

/**
 * A Node request stream read with `data` / `end` listeners: an async iterator over it costs a promise
 * and an iterator result per chunk, and more to set up than a small token request takes to read. The
 * same outcomes as {@link readIterable}: at most `maxBytes` (then the stream is paused and left to the
 * HTTP server, which still has to send the 400), and an error or a close before the end is
 * `invalid_request`, never a hang.
 */
function readNodeStream(stream: NodeReadable, maxBytes: number): Promise<string> {
  if (stream.readableEnded) return Promise.resolve('');
  return new Promise<string>((resolve, reject) => {
    const body = new BodyText(maxBytes);
    const done = () => {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onError);
      stream.removeListener('close', onClose);
    };
    const onData = (chunk: Uint8Array | string) => {
      if (body.add(chunk)) return;
      done();
      stream.pause();
      reject(tooLarge());
    };
    const onEnd = () => {
      done();
      resolve(body.text());
    };
    const onError = (err: unknown) => {
      done();
      reject(unreadable(err));
    };
    // A close without an end: the client went away mid-body.
    const onClose = () => onError(new Error('The request closed before its body ended'));
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}

/** Collect chunks up to `maxBytes` (`onTooLarge` lets a Web stream be cancelled), as UTF-8 text. */
async function readChunks(
  next: () => Promise<IteratorResult<Uint8Array | string>>,
  maxBytes: number,
  onTooLarge?: () => Promise<unknown>,
): Promise<string> {
  const body = new BodyText(maxBytes);
  try {
    for (;;) {
      const { done, value } = await next();
      if (done) break;
      if (!body.add(value)) {
        await onTooLarge?.();
        throw tooLarge();
      }
    }
  } catch (err) {
    if (err instanceof OAuthError) throw err;
    throw unreadable(err);
  }
  return body.text();
}
