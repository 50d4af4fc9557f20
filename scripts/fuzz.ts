// `npm run fuzz`: the long run of the SIP mutation fuzzer (test/unit/phone/fuzz.test.ts, whose
// short fixed-seed run is part of `npm test`). Fresh seeds each time unless one is given, so a
// failure is replayed with the seed it prints:
//   npm run fuzz                      2000 runs per scenario from a random seed
//   npm run fuzz -- --runs 500        fewer runs
//   npm run fuzz -- --seed 20340393   replay from a reported seed (with --runs 1 for that one)
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '2000' },
    seed: { type: 'string' },
  },
});

const runs = Number(values.runs);
const seed = values.seed !== undefined ? Number(values.seed) : randomInt(1, 2 ** 31 - 1);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
  console.error('usage: npm run fuzz -- [--runs N] [--seed S]');
  process.exit(2);
}

console.log(`SIP fuzzer: ${runs} runs per scenario, seeds ${seed} + k×7919`);
const result = spawnSync(
  'npx',
  ['vitest', 'run', '--project', 'unit', 'test/unit/phone/fuzz.test.ts'],
  {
    stdio: 'inherit',
    env: { ...process.env, FUZZ_RUNS: String(runs), FUZZ_SEED: String(seed) },
  },
);
process.exit(result.status ?? 1);
