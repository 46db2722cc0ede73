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
      'registry.kinship(parent, child) returns only a link between those two people, so l.a === parent and ' +
      'l.b === child say the same thing (the direction); either one alone decides, so each is redundant',
  },
  {
    file: 'shared/domain/exchange.ts',
    code: 'l.a === parent',
    reason:
      'see l.b === child: the other comparison of the pair (the kinship tables kill a link in the wrong direction)',
  },
  {
    file: 'shared/domain/calendar.ts',
    code: "'custom'",
    reason: 'fieldErrors reports only the path and the message of a custom issue, never its code',
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
  {
    file: 'shared/domain/rules.ts',
    code: 'all.filter((x) => x.date !== date)',
    reason:
      'callers read only the first incident: with one on the event date it comes first whatever follows, ' +
      'and without one this list is all of them in the same order',
  },
  {
    file: 'shared/domain/rules.ts',
    code: "case 'ALIVE':",
    reason: 'the switch ends after its cases and returns undefined for ALIVE either way',
  },
  {
    file: 'shared/domain/rules.ts',
    code: 'case undefined: return undefined;',
    reason: 'the switch ends after its cases and returns undefined for a kind without a check either way',
  },
  {
    file: 'shared/domain/rules.ts',
    code: "case 'HUKOU_PLACE':",
    reason: 'the switch ends after its cases and returns undefined for HUKOU_PLACE either way',
  },
  {
    file: 'shared/domain/rules.ts',
    code: "case 'DEATH':",
    reason: 'the switch ends after its cases and returns undefined for DEATH either way',
  },
  {
    file: 'shared/domain/rules.ts',
    code: "case 'NONE':",
    reason: 'the switch ends after its cases and returns undefined for NONE either way',
  },
  {
    file: 'shared/domain/rules.ts',
    code: 'subject === undefined || related === undefined',
    reason:
      'bookletRelation asks registry.sameHousehold first, which is true only when both people are on record, ' +
      'so neither lookup can miss here; the check stays for the type narrowing',
  },
  {
    file: 'shared/domain/rules.ts',
    code: 'shown !== undefined',
    reason:
      'a request’s related person always has a relation, so an undefined booklet relation never equals it',
  },
  {
    file: 'shared/domain/id-number.ts',
    code: '/^\\d{17}[\\dX]$/',
    reason:
      'the length is checked to be 18 just before, so 17 digits and a digit or X match the whole string with ' +
      'either anchor or both; dropping one anchor changes nothing',
  },
  {
    file: 'shared/domain/calendar.ts',
    code: 'statutory === undefined',
    reason:
      'a cache of statutoryHolidays per year: computing the same days again on every call gives the same answer',
  },
  {
    file: 'shared/domain/calendar.ts',
    code: "'must be a date YYYY-MM-DD'",
    reason:
      'isoDate is only used as the key schema of z.record, and zod 4 reports a bad key as "Invalid key in ' +
      'record" with the key path, never the key schema\'s own message',
  },
  {
    file: 'shared/domain/calendar.ts',
    code: "'is not a real calendar date'",
    reason: "see 'must be a date YYYY-MM-DD': a record key's own message is never reported",
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
