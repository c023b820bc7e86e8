/**
 * `describeConformance(name, factory)`: every case in {@link CONFORMANCE_CASES} through one adapter, each
 * answer compared with the core's, every log line and error searched for secrets, and a summary line.
 *
 * @module
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONFORMANCE_CASES } from './cases/index.js';
import { coreHarness } from './core-harness.js';
import { assertExpectation } from './expect-answer.js';
import { type ConformanceFixture, createConformanceFixture } from './fixture.js';
import type { Answer, ConformanceCase, ConformanceHarness, ConformanceHarnessFactory, Target, WireRequest } from './types.js';
import { comparable, issuedSecrets, toAnswer } from './wire.js';

/** Options of {@link describeConformance}. */
export interface DescribeConformanceOptions {
  /** Also run the client-side cases (they test the core client, so only the core run sets this). */
  clientCases?: boolean;
  /** Cases to run instead of the full table (tests of the suite itself). */
  cases?: readonly ConformanceCase[];
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/** The title of a case in the test output. */
export function caseTitle(c: ConformanceCase): string {
  return `[${c.category}] ${c.name} (${c.source})`;
}

/**
 * Run the conformance suite through the harness `factory` builds. `name` appears in the summary line,
 * e.g. `conformance[express5]: 312 run, 312 passed`. With `factory` omitted, the core itself is run.
 */
export function describeConformance(name: string, factory: ConformanceHarnessFactory | null, options: DescribeConformanceOptions = {}): void {
  const cases = (options.cases ?? CONFORMANCE_CASES).filter((c) => c.kind !== 'client' || options.clientCases);
  describe(`conformance[${name}]`, () => {
    let fixture: ConformanceFixture;
    let harness: ConformanceHarness;
    let reference: ConformanceHarness;
    const errors: { where: string; text: string }[] = [];
    const original = { ...console };
    let run = 0;
    let passed = 0;

    beforeAll(async () => {
      for (const m of CONSOLE_METHODS) {
        vi.spyOn(console, m).mockImplementation((...args: unknown[]) => {
          fixture?.logs.push({ source: 'console', level: m, text: args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : typeof a === 'string' ? a : safeJson(a))).join(' ') });
        });
      }
      fixture = await createConformanceFixture();
      reference = coreHarness(fixture);
      harness = factory ? await factory(fixture) : reference;
    });
    afterAll(async () => {
      for (const m of CONSOLE_METHODS) (console[m] as unknown as { mockRestore?: () => void }).mockRestore?.();
      await harness?.close();
      await fixture?.close();
    });

    const record = (target: Target, request: WireRequest, answer: Answer) => {
      for (const s of issuedSecrets(answer)) fixture.secrets.add(s);
      const erroneous = answer.status >= 400 || /[?&]error=/.test(answer.header('location') ?? '');
      if (erroneous) {
        errors.push({ where: `${target} ${request.method} ${request.path.slice(0, 80)}`, text: `${answer.body} ${answer.header('www-authenticate') ?? ''} ${answer.header('location') ?? ''}` });
      }
    };
    const send = async (h: ConformanceHarness, target: Target, request: WireRequest): Promise<Answer> => {
      const answer = toAnswer(await (target === 'resource' ? h.resource(request) : h.authorizationServer(request)));
      record(target, request, answer);
      return answer;
    };

    for (const c of cases) {
      it(caseTitle(c), async () => {
        run++;
        if (c.kind === 'request') {
          const actual = await send(harness, c.target, c.request(fixture.values));
          if (harness !== reference) {
            const expected = await send(reference, c.target, c.request(fixture.values));
            expect(comparable(actual), 'the adapter must answer exactly as the core').toEqual(comparable(expected));
          }
          assertExpectation(actual, c.expect, fixture.values);
        } else if (c.kind === 'scenario') {
          await c.run({ values: fixture.values, fixture, send: (target, request) => send(harness, target, request) });
        } else {
          await c.run();
        }
        passed++;
      });
    }

    it('no secret in any log line or error message', () => {
      const secrets = [...fixture.secrets].filter((s) => s.length >= 8);
      expect(secrets.length).toBeGreaterThan(10);
      for (const line of fixture.logs) {
        for (const s of secrets) expect(line.text.includes(s), `secret in ${line.source}.${line.level}: ${line.text.slice(0, 120)}`).toBe(false);
      }
      for (const e of errors) {
        for (const s of secrets) expect(e.text.includes(s), `secret in the error answer to ${e.where}`).toBe(false);
      }
    });

    it('summary', () => {
      const line = `conformance[${name}]: ${run} run, ${passed} passed (${errors.length} error answers and ${fixture.logs.length} log lines searched for ${fixture.secrets.size} secrets)`;
      original.log(line);
      expect(run).toBe(cases.length);
      expect(passed).toBe(run);
    });
  });
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
