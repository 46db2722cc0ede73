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
export const equivalentMutants = [
  {
    file: 'shared/domain/exchange.ts',
    code: 'l.b === child',
    reason:
      'registry.kinship(parent, child) returns only a link between those two people, so once l.a === parent, ' +
      'l.b is the child (the port contract; a link of a person to themself cannot be registered)',
  },
  {
    file: 'shared/domain/exchange.ts',
    code: 'default: return undefined;',
    reason: 'the function ends after the switch and returns undefined for OTHER either way',
  },
  {
    file: 'shared/domain/calendar.ts',
    code: 't.getUTCMonth() === m - 1',
    reason:
      'for a day that overflows its month the day-of-month comparison already fails (and a month 00 or 13 ' +
      'changes the year), so this comparison never decides alone; it stays for readability',
  },
  {
    file: 'shared/domain/calendar.ts',
    code: 't.getUTCDate() === d',
    reason:
      'a day 00 or past the month end always lands in another month, which the month comparison catches; ' +
      'the two comparisons cover each other',
  },
  {
    file: 'shared/domain/calendar.ts',
    code: "'utf8'",
    reason: 'without an encoding readFile returns a Buffer, and JSON.parse reads it as the same UTF-8 text',
  },
  {
    file: 'shared/domain/calendar.ts',
    code: 'this.#holidays.delete(d);',
    reason:
      'isWorkingDay consults the make-up workdays before the holidays, so a holiday left under a supplied ' +
      'workday is never read',
  },
  {
    file: 'shared/domain/rules.ts',
    code: 'd.getTime() + 8 * 3_600_000',
    reason:
      'beijingDay only reads deadlines, which end a Beijing day at 23:59:59.999 +08:00 = 15:59:59.999Z: the UTC ' +
      'and the Beijing date are the same, so any change of the offset gives the same day',
  },
];

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
  timeoutMS: 4_000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 80, break: null },
};
