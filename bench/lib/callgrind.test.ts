import { describe, expect, it } from 'vitest';
import { cycleEstimate, EVENTS, parsePerfMap, readableName, summary } from './callgrind.js';

const zero = Object.fromEntries(EVENTS.map((e) => [e, 0])) as Record<(typeof EVENTS)[number], number>;

describe('callgrind helpers', () => {
  it('reads the totals of a dump by event name, whatever the order of the events line', () => {
    const dump = ['version: 1', 'events: Ir Bim I1mr', 'fn=(1) main', '0 5 1 2', 'summary: 1000 7 30', 'totals: 1000 7 30'].join('\n');
    const totals = summary(dump);
    expect(totals.Ir).toBe(1000);
    expect(totals.Bim).toBe(7);
    expect(totals.I1mr).toBe(30);
    expect(totals.D1mr).toBe(0);
  });

  it('refuses a file without a summary', () => {
    expect(() => summary('events: Ir\n')).toThrow(/summary/);
  });

  it('weighs misses as KCachegrind does: 10 per first-level miss or mispredict, 100 per last-level miss', () => {
    expect(cycleEstimate({ ...zero, Ir: 1000 })).toBe(1000);
    expect(cycleEstimate({ ...zero, Ir: 1000, I1mr: 2, D1mr: 3, D1mw: 1, Bcm: 4, Bim: 1 })).toBe(1000 + 10 * 11);
    expect(cycleEstimate({ ...zero, ILmr: 1, DLmr: 2, DLmw: 3 })).toBe(600);
  });

  it('finds the JavaScript function of a JIT address in a perf map, and nothing outside its ranges', () => {
    const map = parsePerfMap(
      [
        '7f0000001000 40 JS:*warm file:///repo/packages/core/dist/index.js:3121:16',
        '7f0000000100 20 JS:~handle /repo/node_modules/.pnpm/fastify@5.1.0/node_modules/fastify/lib/route.js:465:25',
        'garbage line',
      ].join('\n'),
    );
    expect(map.name(0x7f0000001000)).toMatch(/^JS:\*warm /);
    expect(map.name(0x7f000000103f)).toMatch(/^JS:\*warm /);
    expect(map.name(0x7f0000001040)).toBeUndefined();
    expect(map.name(0x7f0000000110)).toMatch(/handle/);
    expect(map.name(0x10)).toBeUndefined();
  });

  it('names functions for a reader: JS by function, package and line; builtins without their binary', () => {
    const map = parsePerfMap(
      [
        '1000 40 JS:*warm file:///repo/packages/core/dist/index.js:3121:16',
        '2000 40 JS:~handle /repo/node_modules/.pnpm/fastify@5.1.0/node_modules/fastify/lib/route.js:465:25',
      ].join('\n'),
    );
    expect(readableName('???:0x0000000000001010 [???]', map)).toBe('warm (@auth/core/dist/index.js:3121)');
    expect(readableName('???:0x0000000000002000 [???]', map)).toBe('handle (fastify/lib/route.js:465)');
    expect(readableName('???:0x0000000000009000 [???]', map)).toBe('JIT code (unnamed)');
    expect(readableName('???:Builtins_LoadIC [/usr/bin/node]', map)).toBe('Builtins_LoadIC');
    expect(readableName('???:v8::internal::Heap::Scavenge(int, bool) [/usr/bin/node]', map)).toBe('v8::internal::Heap::Scavenge()');
    expect(readableName('???:v8::internal::(anonymous namespace)::IterateObjectCache(v8::internal::Isolate*) [/usr/bin/node]', map)).toBe(
      'v8::internal::{anonymous}::IterateObjectCache()',
    );
  });
});
