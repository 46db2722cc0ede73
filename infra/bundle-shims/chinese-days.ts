/**
 * What `chinese-days` resolves to inside the Lambda bundles (esbuild alias, see infra/bundling.ts).
 *
 * At import the package builds its whole holiday table (every year it knows, day by day, as date objects:
 * ≈ 6 ms of every cold start, bench/PERF-NOTES.md round 4), which certflow never reads: the calendar
 * (shared/domain/calendar.ts) takes the tables from the package's `dist/chinese-days.json` (aliased to
 * itself in infra/bundling.ts) and calls only the lunar conversion and the solar terms, and only for years
 * past those tables (provisional deadlines). So here the package is the same code, bundled as it is, but
 * initialised on the first of those calls: esbuild turns the `require` below into a lazily run module.
 */
import type ChineseDays from 'chinese-days';

type Lib = typeof ChineseDays;
let lib: Lib | undefined;
// A relative path, so that this alias does not apply to it (as in bundle-shims/zod.ts).
const load = (): Lib =>
  (lib ??= (require('../../node_modules/chinese-days/dist/index.es.js') as { default: Lib }).default);

/** The two functions shared/domain/calendar.ts uses, each loading the package on its first call. */
export default {
  getSolarDateFromLunar: (...args: Parameters<Lib['getSolarDateFromLunar']>) =>
    load().getSolarDateFromLunar(...args),
  getSolarTermDate: (...args: Parameters<Lib['getSolarTermDate']>) => load().getSolarTermDate(...args),
} satisfies Partial<Lib>;
