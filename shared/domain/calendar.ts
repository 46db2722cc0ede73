/**
 * Chinese working days (State Council holiday schedule, including weekend make-up workdays 调休), in
 * Beijing time (UTC+8, no daylight saving).
 *
 * The official data comes from the `chinese-days` package (its `holidays` and `workdays` tables; a day is a
 * working day when it is a make-up workday, or a Monday–Friday that is not a holiday). A year the package
 * does not know yet can be supplied as data (`HolidaySupplement`, same shape plus the years it covers),
 * merged over the package's tables without a release. Beyond every covered year the calendar falls back
 * to Monday–Friday minus the statutory days off of 《全国年节及纪念日放假办法》 as revised in 2024 (New Year
 * 1 Jan; Spring Festival eve to the 3rd day; Qingming; Labour Day 1–2 May; Dragon Boat; Mid-Autumn; National
 * Day 1–3 Oct: 13 days, the lunar ones computed with chinese-days' lunar conversion and solar terms), and
 * marks the result `provisional` (make-up workdays and bridging days are unknown until the State Council
 * publishes the year's schedule).
 *
 * "N working days after acceptance" ends at 23:59:59.999 Beijing time of the N-th working day after the
 * day of acceptance (the day of acceptance itself never counts, whether or not it is a working day).
 */

import { readFile } from 'node:fs/promises';
import chineseDays from 'chinese-days';
import chineseDaysData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { z } from 'zod';
import { beijingDate, DAY_MS, endOfBeijingDay } from '#shared/domain/beijing-day.ts';
import { fieldErrors, summarize } from '#shared/domain/errors.ts';

// chinese-days is CommonJS: its functions are read from the default export (named imports fail in Node ESM).
const { getSolarDateFromLunar, getSolarTermDate } = chineseDays;

/** Holiday data for years the package does not cover (or corrections), passed in as data. */
export interface HolidaySupplement {
  /** Years this data covers completely: dates in them are no longer provisional. */
  years: number[];
  /** `YYYY-MM-DD` → name: days off (including weekdays). */
  holidays: Record<string, string>;
  /** `YYYY-MM-DD` → name: make-up workdays (weekend days that are worked). */
  workdays: Record<string, string>;
}

export class CalendarDataError extends Error {
  override name = 'CalendarDataError';
  readonly errors: { path: string; message: string }[];
  constructor(errors: { path: string; message: string }[], options?: { cause?: unknown }) {
    super(`invalid holiday data: ${summarize(errors)}`, options);
    this.errors = errors;
  }
}

/**
 * The holiday supplement's schema. Built on the first parse, not at import: every function that computes
 * deadlines imports the calendar, only a stack with a supplement file reads one (issue 16,
 * bench/PERF-NOTES.md "round 4 — zod/mini").
 */
function makeHolidaySupplementSchema() {
  const isoDate = z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
    .refine((s) => {
      const [y, m, d] = s.split('-').map(Number) as [number, number, number];
      const t = new Date(Date.UTC(y, m - 1, d));
      return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
    }, 'is not a real calendar date');

  return z
    .object({
      years: z.array(z.number().int().min(1900).max(2200)).min(1),
      holidays: z.record(isoDate, z.string()),
      workdays: z.record(isoDate, z.string()),
    })
    .superRefine((v, ctx) => {
      for (const date of Object.keys(v.holidays)) {
        if (date in v.workdays) {
          ctx.addIssue({ code: 'custom', path: ['workdays', date], message: 'is also listed as a holiday' });
        }
      }
    });
}
let holidaySupplementSchema: ReturnType<typeof makeHolidaySupplementSchema> | undefined;

/** Validates holiday data; throws `CalendarDataError` naming every bad path. */
export function parseHolidaySupplement(data: unknown): HolidaySupplement {
  holidaySupplementSchema ??= makeHolidaySupplementSchema();
  const r = holidaySupplementSchema.safeParse(data);
  if (!r.success) {
    throw new CalendarDataError(fieldErrors(r.error), { cause: r.error });
  }
  return r.data;
}

/**
 * Reads a holiday supplement from a JSON file (e.g. the State Council's schedule for a year chinese-days does
 * not know yet). Unreadable files, non-JSON and invalid data are all `CalendarDataError`s naming the problem.
 */
export async function loadHolidaySupplementFile(path: string): Promise<HolidaySupplement> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new CalendarDataError(
      [{ path: '', message: `cannot read ${path} as JSON: ${(cause as Error).message}` }],
      {
        cause,
      },
    );
  }
  return parseHolidaySupplement(data);
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function dateOf(date: Date | string): string {
  if (typeof date === 'string') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`calendar: not a date YYYY-MM-DD: ${date}`);
    return date;
  }
  if (Number.isNaN(date.getTime())) throw new RangeError('calendar: invalid Date');
  return beijingDate(date);
}

/**
 * The statutory days off of a year by the 2024 holiday law (《全国年节及纪念日放假办法》, State Council, revised
 * 2024-11-10, in force 2025-01-01): `YYYY-MM-DD` → name. Lunar dates via chinese-days (Spring Festival eve is
 * the day before lunar 1/1, whatever the length of the 12th month); Qingming is the solar term 清明.
 */
export function statutoryHolidays(year: number): Map<string, string> {
  const days = new Map<string, string>();
  const lunar = (m: number, d: number) =>
    getSolarDateFromLunar(`${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`).date;
  days.set(`${year}-01-01`, '元旦');
  const newYear = lunar(1, 1);
  for (let i = -1; i <= 2; i += 1) days.set(addDays(newYear, i), '春节');
  days.set(getSolarTermDate(year, 4, 'pure_brightness'), '清明节');
  days.set(`${year}-05-01`, '劳动节');
  days.set(`${year}-05-02`, '劳动节');
  days.set(lunar(5, 5), '端午节');
  days.set(lunar(8, 15), '中秋节');
  for (const d of ['01', '02', '03']) days.set(`${year}-10-${d}`, '国庆节');
  return days;
}

export interface CalendarResult {
  deadline: Date;
  /** True when a counted day lies in a year without official (or supplied) holiday data. */
  provisional: boolean;
}

/** A working-day calendar over chinese-days' data plus optional supplements (later ones win). */
export class WorkingDayCalendar {
  readonly #holidays = new Map<string, string>();
  readonly #workdays = new Map<string, string>();
  readonly #years = new Set<number>();
  readonly #statutory = new Map<number, Map<string, string>>();

  constructor(supplements: readonly HolidaySupplement[] = []) {
    const base = chineseDaysData as { holidays: Record<string, string>; workdays: Record<string, string> };
    for (const [d, name] of Object.entries(base.holidays)) this.#holidays.set(d, name);
    for (const [d, name] of Object.entries(base.workdays)) this.#workdays.set(d, name);
    const baseYears = [...this.#holidays.keys()].map((d) => Number(d.slice(0, 4)));
    for (let y = Math.min(...baseYears); y <= Math.max(...baseYears); y += 1) this.#years.add(y);
    for (const s of supplements) {
      for (const y of s.years) this.#years.add(y);
      for (const [d, name] of Object.entries(s.holidays)) {
        this.#workdays.delete(d);
        this.#holidays.set(d, name);
      }
      for (const [d, name] of Object.entries(s.workdays)) {
        this.#holidays.delete(d);
        this.#workdays.set(d, name);
      }
    }
  }

  /** Years with official or supplied holiday data, ascending. */
  coveredYears(): number[] {
    return [...this.#years].sort((a, b) => a - b);
  }

  /** Whether the Beijing day of `date` lies in a covered year. */
  isCovered(date: Date | string): boolean {
    return this.#years.has(Number(dateOf(date).slice(0, 4)));
  }

  /**
   * Whether the Beijing day of `date` is a working day. Outside covered years: Monday–Friday except the
   * statutory days off of the 2024 holiday law (`statutoryHolidays`).
   */
  isWorkingDay(date: Date | string): boolean {
    const d = dateOf(date);
    if (this.#workdays.has(d)) return true;
    if (this.#holidays.has(d)) return false;
    if (!this.isCovered(d)) {
      const year = Number(d.slice(0, 4));
      let statutory = this.#statutory.get(year);
      if (statutory === undefined) {
        statutory = statutoryHolidays(year);
        this.#statutory.set(year, statutory);
      }
      if (statutory.has(d)) return false;
    }
    const weekday = new Date(`${d}T00:00:00.000Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /**
   * The end (23:59:59.999 Beijing time) of the n-th working day after the Beijing day of `acceptedAt`.
   * n = 0 gives the end of the day of acceptance itself.
   */
  workingDaysAfter(acceptedAt: Date, n: number): CalendarResult {
    checkCount(n);
    let day = dateOf(acceptedAt);
    let provisional = false;
    let counted = 0;
    while (counted < n) {
      day = addDays(day, 1);
      if (!this.isCovered(day)) provisional = true;
      if (this.isWorkingDay(day)) counted += 1;
    }
    return { deadline: endOfBeijingDay(day), provisional };
  }

  /**
   * The end (23:59:59.999 Beijing time) of the n-th working day before the Beijing day of `deadline`:
   * with n = 1 and a deadline from `workingDaysAfter`, the moment exactly one working day remains
   * (the warning, 预警).
   */
  workingDaysBefore(deadline: Date, n: number): { at: Date; provisional: boolean } {
    checkCount(n);
    let day = dateOf(deadline);
    let provisional = !this.isCovered(day);
    let counted = 0;
    while (counted < n) {
      day = addDays(day, -1);
      if (!this.isCovered(day)) provisional = true;
      if (this.isWorkingDay(day)) counted += 1;
    }
    return { at: endOfBeijingDay(day), provisional };
  }

  /** Working days in the half-open Beijing-day range (from, to]. */
  workingDaysBetween(from: Date | string, to: Date | string): number {
    let day = dateOf(from);
    const end = dateOf(to);
    let count = 0;
    while (day < end) {
      day = addDays(day, 1);
      if (this.isWorkingDay(day)) count += 1;
    }
    return count;
  }
}

function checkCount(n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > 3660) {
    throw new RangeError('calendar: the number of working days must be an integer from 0 to 3660');
  }
}

/** The calendar over chinese-days' data alone. */
export const defaultCalendar = new WorkingDayCalendar();

/**
 * The calendar of a deployment (`CERTFLOW_HOLIDAYS_FILE`, the local stack's `--holidays`): chinese-days'
 * data plus the supplement file when one is named (`defaultCalendar` when none). Rejects with
 * `CalendarDataError` naming the file's problem. `functions/deps.ts` `calendar()` loads it once per process;
 * in the Lambda bundles of functions without `access.workingDayCalendar` this module is a stand-in whose
 * `loadCalendar` rejects naming the function (infra/bundle-shims/absent/calendar.ts).
 */
export async function loadCalendar(holidaysFile?: string): Promise<WorkingDayCalendar> {
  if (holidaysFile === undefined) return defaultCalendar;
  return new WorkingDayCalendar([await loadHolidaySupplementFile(holidaysFile)]);
}

export interface CalendarOptions {
  /** Use this calendar (e.g. one built with supplements) instead of the default one. */
  calendar?: WorkingDayCalendar;
}

const cal = (opts?: CalendarOptions) => opts?.calendar ?? defaultCalendar;

/** See `WorkingDayCalendar.workingDaysAfter`. */
export function workingDaysAfter(acceptedAt: Date, n: number, opts?: CalendarOptions): CalendarResult {
  return cal(opts).workingDaysAfter(acceptedAt, n);
}

/** See `WorkingDayCalendar.workingDaysBefore`. */
export function workingDaysBefore(
  deadline: Date,
  n: number,
  opts?: CalendarOptions,
): { at: Date; provisional: boolean } {
  return cal(opts).workingDaysBefore(deadline, n);
}

export function isWorkingDay(date: Date | string, opts?: CalendarOptions): boolean {
  return cal(opts).isWorkingDay(date);
}

export function coveredYears(opts?: CalendarOptions): number[] {
  return cal(opts).coveredYears();
}

export function isCovered(date: Date | string, opts?: CalendarOptions): boolean {
  return cal(opts).isCovered(date);
}
