// @ts-check
/**
 * Mutation testing (issue 19): `npm run mutation` mutates the domain core and the webhook verifier and runs
 * the unit tests against every mutant. One file: `MUTATE=shared/domain/rules.ts npm run mutation`.
 * Each file set keeps its own incremental file, so a rerun only tests the mutants whose code or tests changed.
 * Reports go to reports/mutation/ (ignored by git). StrykerJS 10 needs Node.js 22.
 */
/**
 * Equivalent mutants: each entry is the exact source (in `file`) of the expression or statement whose
 * mutants cannot change what the code does, and why. tests/mutation/equivalent-ignorer.mjs skips them.
 * @type {{ file: string, code: string, reason: string }[]}
 */
export const equivalentMutants = [];

const files = (process.env.MUTATE ?? '')
  .split(',')
  .map((f) => f.trim())
  .filter(Boolean);
const mutate =
  files.length > 0
    ? files
    : [
        'shared/domain/rules.ts',
        'shared/domain/calendar.ts',
        'shared/domain/id-number.ts',
        'shared/domain/exchange.ts',
        'shared/webhooks/signature.ts',
      ];
const slug =
  files.length > 0 ? files.map((f) => f.replace(/^.*\//, '').replace(/\.ts$/, '')).join('+') : 'all';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  plugins: ['@stryker-mutator/vitest-runner', './tests/mutation/equivalent-ignorer.mjs'],
  ignorers: ['equivalent-mutants'],
  mutate,
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: `reports/mutation/incremental-${slug}.json`,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${slug}.html` },
  jsonReporter: { fileName: `reports/mutation/${slug}.json` },
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 1),
  timeoutMS: 10_000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 80, break: null },
};
