// Issue 13: the project's own seeded mutation fuzzer over the incoming pipeline and every dialog
// state, on the loop server with the real engine and JsSIP (test/support/fuzz-scenarios.ts). A
// short fixed-seed run is part of `npm test`; `npm run fuzz` runs long with fresh seeds
// (FUZZ_RUNS per scenario, FUZZ_SEED to start from, e.g. to replay a reported failure).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fuzzOnce, SCENARIOS, type Violation } from '../../support/fuzz-scenarios';

const RUNS = Number(process.env.FUZZ_RUNS ?? 6);
const FIRST_SEED = Number(process.env.FUZZ_SEED ?? 20261203);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function report(violations: Violation[]): string {
  return violations
    .map(
      (v) =>
        `${v.scenario} seed ${v.seed}: ${v.what}\n    wire: ${v.trace.join(' | ') || '(none)'}`,
    )
    .join('\n');
}

describe('SIP mutation fuzzer', () => {
  it.each(SCENARIOS)(
    '%s: no uncaught error, nothing left waiting or open, no REGISTER storm, calls still work',
    async (scenario) => {
      const violations: Violation[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        violations.push(...(await fuzzOnce(scenario, FIRST_SEED + i * 7919)));
      }
      expect(violations, report(violations)).toEqual([]);
    },
    Math.max(60_000, RUNS * 20_000),
  );
});
