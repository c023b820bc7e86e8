/**
 * The conformance suite's vocabulary: a request on the wire, the answer, the harness an adapter implements
 * once, and the three kinds of case (one request, a scenario of several, a client-side check).
 *
 * @module
 */
import type { ConformanceFixture, ConformanceValues } from './fixture.js';

/** A request as it goes over the wire. Header values given as an array are sent as repeated header lines. */
export interface WireRequest {
  method: string;
  /** Path plus query string, e.g. `/oauth/token` or `/me?api_key=x`. */
  path: string;
  headers: Record<string, string | readonly string[]>;
  /** Raw body, sent as is (set `content-type` yourself). */
  body?: string;
}

/** What came back. Header names lowercase; `set-cookie` may be an array. `body` is the raw text. */
export interface WireResponse {
  status: number;
  headers: Record<string, string | readonly string[] | undefined>;
  body: string;
}

/**
 * What an adapter implements once to run the whole suite: one app built on the fixture's auth server, with
 * the fixture routes ({@link FIXTURE_ROUTES}) protected the adapter's way and the authorization server
 * mounted the adapter's way. Both functions may hit the same app.
 */
export interface ConformanceHarness {
  /** A request to a protected fixture route (`/me`, `/items`, `/secret-only`, `/public`). */
  resource(request: WireRequest): Promise<WireResponse>;
  /** A request to the mounted authorization server (`/oauth/*`, `/.well-known/*`). */
  authorizationServer(request: WireRequest): Promise<WireResponse>;
  close(): Promise<void>;
}

/** Builds an adapter's harness on a fresh fixture. */
export type ConformanceHarnessFactory = (fixture: ConformanceFixture) => Promise<ConformanceHarness>;

/** Where a case belongs, for the per-category counts. */
export type Category =
  | 'authorize'
  | 'token'
  | 'refresh'
  | 'revocation'
  | 'introspection'
  | 'resource'
  | 'cookies'
  | 'client';

/** Which side of the harness a request goes to. */
export type Target = 'resource' | 'authorizationServer';

/** A parsed answer, handed to case checks. */
export interface Answer extends WireResponse {
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: Record<string, unknown> | undefined;
  /** Single header value (first of an array). */
  header(name: string): string | undefined;
}

/** What a single-request case expects, beyond "the same as the core answers". */
export interface Expectation {
  status: number;
  /** The `error` member of the JSON body (or the error code on an HTML error page). */
  error?: string;
  /** Exact header values; `null` means the header must be absent. */
  headers?: Record<string, string | RegExp | null>;
  /** Any other check. Throw (or `expect`) to fail. */
  check?(answer: Answer, values: ConformanceValues): void;
}

interface CaseBase {
  category: Category;
  name: string;
  /** Where the expected behaviour comes from: an RFC section, an advisory, a seed. */
  source: string;
}

/** One request, one expected answer, compared with the core's answer to the same request. */
export interface RequestCase extends CaseBase {
  kind: 'request';
  target: Target;
  request(values: ConformanceValues): WireRequest;
  expect: Expectation;
}

/** What a scenario drives: the harness, the fixture and its clock. */
export interface ScenarioContext {
  values: ConformanceValues;
  fixture: ConformanceFixture;
  send(target: Target, request: WireRequest): Promise<Answer>;
}

/** Several requests whose outcome depends on order or timing (code reuse, concurrency, rotation). */
export interface ScenarioCase extends CaseBase {
  kind: 'scenario';
  run(t: ScenarioContext): Promise<void>;
}

/** A client-half check, run against the core client only. */
export interface ClientCase extends CaseBase {
  kind: 'client';
  category: 'client';
  run(): Promise<void>;
}

/** Any conformance case. */
export type ConformanceCase = RequestCase | ScenarioCase | ClientCase;
