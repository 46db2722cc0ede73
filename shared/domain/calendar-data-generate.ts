/**
 * `npm run calendar-data`: writes shared/domain/calendar-data.ts, the working-day calendar's tables derived
 * from the `chinese-days` package, so that the Lambda bundles carry ≈ 2 KB of data instead of the package's
 * 37 KB JSON and 23 KB of code (issue 16, bundles < 500 KB). The file is committed;
 * tests/unit/domain/calendar-data.test.ts regenerates it from the installed package and fails when it
 * differs (a chinese-days update cannot diverge silently: run this script and commit the result).
 * Build tool only: no handler imports this module.
 *
 * What the calendar needs (shared/domain/calendar.ts) and so what is derived:
 * - from `dist/chinese-days.json` (the State Council schedules): the first and last year of its `holidays`
 *   table (the covered years), and the days whose working status differs from Monday–Friday: the holidays
 *   that fall on a weekday and the make-up workdays (调休, all on weekends). A holiday on a weekend is a day
 *   off anyway, so it is left out; the names are read by nothing and left out too.
 * - from the package's lunar conversion (`getSolarDateFromLunar`) and solar terms (`getSolarTermDate`), for
 *   every year they support (1900–2100, the package's README): the lunar new year (1/1), Qingming (清明),
 *   the Dragon Boat Festival (5/5) and the Mid-Autumn Festival (8/15), what `statutoryHolidays` needs.
 *
 * chinese-days computes dates in the process's local time zone (in a zone west of UTC its lunar dates and
 * solar terms come out a day off, measured: 683 of these 804 dates in America/New_York); Lambda runs in
 * UTC. This module therefore sets TZ=UTC before computing: run it as a script, or in a child process.
 */
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import chineseDays from 'chinese-days';
import chineseDaysData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import chineseDaysPackage from 'chinese-days/package.json' with { type: 'json' };
import { DAY_MS } from './beijing-day.ts';

process.env.TZ = 'UTC';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CALENDAR_DATA_FILE = join(ROOT, 'shared', 'domain', 'calendar-data.ts');

/** The years of chinese-days' lunar tables (LUNAR_INFO) and solar-term constants, per its README. */
const LUNAR_YEARS = [1900, 2100] as const;

/**
 * The lunar dates' anchors (`MM-DD`): each date is stored as one base-36 digit, its days after the anchor.
 * Lunar new year falls 21 Jan–20 Feb, Qingming 4–6 Apr, Dragon Boat 28 May–25 Jun, Mid-Autumn 7 Sep–8 Oct.
 */
const LUNAR_ANCHORS = ['01-20', '04-01', '05-27', '09-06'] as const;

const { getSolarDateFromLunar, getSolarTermDate } = chineseDays;

const utc = (date: string) => Date.parse(`${date}T00:00:00.000Z`);
const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(utc(s)).toISOString().startsWith(s);
const isWeekend = (date: string) => [0, 6].includes(new Date(utc(date)).getUTCDay());
/** 1-based day of the year of `date` (`YYYY-MM-DD`). */
const dayOfYear = (date: string) => (utc(date) - utc(`${date.slice(0, 4)}-01-01`)) / DAY_MS + 1;

interface CalendarData {
  version: string;
  officialFrom: number;
  officialTo: number;
  /** One string per year from `officialFrom`: two base-36 digits per day (day of the year), ascending. */
  officialDays: string[];
  lunarFrom: number;
  /** Four base-36 digits per year from `lunarFrom`, one per `LUNAR_ANCHORS` entry; ten years per string. */
  lunarDays: string[];
}

/** Derives the tables from the installed chinese-days; throws naming anything the encoding cannot hold. */
function buildCalendarData(): CalendarData {
  const { holidays, workdays } = chineseDaysData as {
    holidays: Record<string, string>;
    workdays: Record<string, string>;
  };
  const years = Object.keys(holidays).map((d) => Number(d.slice(0, 4)));
  const officialFrom = Math.min(...years);
  const officialTo = Math.max(...years);
  const flipped = new Map<number, number[]>();
  const flip = (date: string) => {
    const year = Number(date.slice(0, 4));
    if (year < officialFrom || year > officialTo) throw new Error(`chinese-days: ${date} outside its years`);
    flipped.set(year, [...(flipped.get(year) ?? []), dayOfYear(date)]);
  };
  for (const date of Object.keys(holidays)) {
    if (!isDate(date)) throw new Error(`chinese-days holidays: not a date: ${date}`);
    if (date in workdays) throw new Error(`chinese-days: ${date} is both a holiday and a workday`);
    if (!isWeekend(date)) flip(date);
  }
  for (const date of Object.keys(workdays)) {
    if (!isDate(date)) throw new Error(`chinese-days workdays: not a date: ${date}`);
    // A weekday listed as a workday would be stored as a day off: the calendar cannot tell them apart.
    if (!isWeekend(date)) throw new Error(`chinese-days: make-up workday ${date} is not on a weekend`);
    flip(date);
  }
  const officialDays: string[] = [];
  for (let year = officialFrom; year <= officialTo; year += 1) {
    const days = (flipped.get(year) ?? []).sort((a, b) => a - b);
    officialDays.push(days.map((d) => d.toString(36).padStart(2, '0')).join(''));
  }

  const [lunarFrom, lunarTo] = LUNAR_YEARS;
  let lunar = '';
  for (let year = lunarFrom; year <= lunarTo; year += 1) {
    const lunarDate = (m: number, d: number) =>
      getSolarDateFromLunar(`${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`).date;
    const dates = [
      lunarDate(1, 1),
      getSolarTermDate(year, 4, 'pure_brightness'),
      lunarDate(5, 5),
      lunarDate(8, 15),
    ];
    dates.forEach((date, i) => {
      const offset = (utc(date) - utc(`${year}-${LUNAR_ANCHORS[i]}`)) / DAY_MS;
      if (!Number.isInteger(offset) || offset < 0 || offset > 35) {
        throw new Error(`chinese-days: ${date} is not within 35 days after ${year}-${LUNAR_ANCHORS[i]}`);
      }
      lunar += offset.toString(36);
    });
  }
  const lunarDays: string[] = [];
  for (let i = 0; i < lunar.length; i += 40) lunarDays.push(lunar.slice(i, i + 40));
  return {
    version: chineseDaysPackage.version,
    officialFrom,
    officialTo,
    officialDays,
    lunarFrom,
    lunarDays,
  };
}

const list = (strings: string[], label: (i: number) => string) =>
  strings.map((s, i) => `  '${s}', // ${label(i)}\n`).join('');

/** The text of shared/domain/calendar-data.ts (formatted as biome formats it). */
function renderCalendarData(data: CalendarData = buildCalendarData()): string {
  const { version, officialFrom, officialTo, officialDays, lunarFrom, lunarDays } = data;
  return `/**
 * Generated by \`npm run calendar-data\` (shared/domain/calendar-data-generate.ts) from chinese-days ${version}.
 * Do not edit by hand: tests/unit/domain/calendar-data.test.ts fails when this differs from what the
 * installed package gives. Read by shared/domain/calendar.ts, which documents the meaning.
 */

/** The chinese-days version these tables come from. */
export const CHINESE_DAYS_VERSION = '${version}';

/** The years of the State Council schedules in chinese-days (its \`holidays\` table), inclusive. */
export const OFFICIAL_FROM = ${officialFrom};
export const OFFICIAL_TO = ${officialTo};

/**
 * One string per year from \`OFFICIAL_FROM\`: the days whose working status differs from Monday–Friday
 * (holidays on a weekday, make-up workdays on a weekend), each its day of the year (1 = 1 January) in two
 * base-36 digits, ascending.
 */
export const OFFICIAL_DAYS: readonly string[] = [
${list(officialDays, (i) => String(officialFrom + i))}];

/** The years of chinese-days' lunar tables and solar terms, inclusive. */
export const LUNAR_FROM = ${lunarFrom};
export const LUNAR_TO = ${LUNAR_YEARS[1]};

/** \`LUNAR_DAYS\`' anchors: lunar new year, Qingming, Dragon Boat, Mid-Autumn. */
export const LUNAR_ANCHORS = [${LUNAR_ANCHORS.map((a) => `'${a}'`).join(', ')}] as const;

/**
 * Four base-36 digits per year from \`LUNAR_FROM\`, ten years per string: for each of \`LUNAR_ANCHORS\`,
 * the days from the anchor (in that year) to the date: lunar 1/1, the solar term 清明, lunar 5/5, lunar 8/15.
 */
export const LUNAR_DAYS: readonly string[] = [
${list(lunarDays, (i) => `${lunarFrom + i * 10}–${Math.min(lunarFrom + i * 10 + 9, LUNAR_YEARS[1])}`)}];
`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = renderCalendarData();
  if (process.argv.includes('--print')) process.stdout.write(text);
  else {
    await writeFile(CALENDAR_DATA_FILE, text);
    console.log(`wrote ${CALENDAR_DATA_FILE}`);
  }
}
