/**
 * The working-day calendar's tables derived from chinese-days (shared/domain/calendar-data.ts, issue 16):
 * the committed file is what the installed package gives (a chinese-days update cannot diverge silently),
 * and the calendar over them answers, day by day, as the calendar straight on the package did
 * (tests/helpers/chinese-days-oracle.ts, run with TZ=UTC as Lambda runs).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import chineseDaysPackage from 'chinese-days/package.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { repoRoot } from '#infra/bundling.ts';
import {
  isCovered,
  isWorkingDay,
  statutoryHolidays,
  WorkingDayCalendar,
  workingDaysAfter,
  workingDaysBefore,
} from '#shared/domain/calendar.ts';
import { CHINESE_DAYS_VERSION, LUNAR_FROM, LUNAR_TO } from '#shared/domain/calendar-data.ts';

const FROM = '2004-01-01';
const TO = '2030-12-31';
const DAY_MS = 86_400_000;
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);

const tsx = (file: string, args: string[], env: Record<string, string> = {}) =>
  execFileSync(process.execPath, ['--import', 'tsx', join(repoRoot, file), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ...env },
  });

describe('shared/domain/calendar-data.ts', () => {
  it('is what `npm run calendar-data` derives from the installed chinese-days (else: run it, commit the file)', () => {
    // In a zone west of UTC, whatever the caller's zone: the generator computes in UTC.
    const generated = tsx('shared/domain/calendar-data-generate.ts', ['--print'], { TZ: 'America/New_York' });
    expect(readFileSync(join(repoRoot, 'shared/domain/calendar-data.ts'), 'utf8')).toBe(generated);
    expect(CHINESE_DAYS_VERSION).toBe(chineseDaysPackage.version);
  }, 60_000);
});

describe('the calendar over the derived tables answers as over chinese-days itself', () => {
  const oracle = JSON.parse(tsx('tests/helpers/chinese-days-oracle.ts', [FROM, TO], { TZ: 'UTC' })) as {
    covered: number[];
    statutory: Record<string, [string, string][]>;
    days: string;
  };
  const days: string[] = [];
  for (let d = FROM; d <= TO; d = addDays(d, 1)) days.push(d);

  it('the covered years and the statutory days off of every year 1900–2100', () => {
    expect(new WorkingDayCalendar().coveredYears()).toEqual(oracle.covered);
    expect(LUNAR_FROM).toBe(1900);
    expect(LUNAR_TO).toBe(2100);
    for (let year = LUNAR_FROM; year <= LUNAR_TO; year += 1)
      expect([...statutoryHolidays(year)], String(year)).toEqual(oracle.statutory[year]);
  });

  it(`isWorkingDay and isCovered for every day ${FROM}..${TO}`, () => {
    expect(days).toHaveLength(oracle.days.length);
    const mismatches = days.filter((d, i) => isWorkingDay(d) !== (oracle.days[i] === '1'));
    expect(mismatches).toEqual([]);
    expect(days.filter((d) => isCovered(d) !== oracle.covered.includes(Number(d.slice(0, 4))))).toEqual([]);
  });

  it('workingDaysAfter and workingDaysBefore from every day, counted on the oracle days', () => {
    const working = (i: number) => oracle.days[i] === '1';
    const end = (d: string) => new Date(Date.parse(`${d}T23:59:59.999+08:00`)).toISOString();
    const mismatches: string[] = [];
    for (let i = 0; i < days.length; i += 1) {
      // 02:00 UTC is 10:00 the same Beijing day.
      const at = new Date(`${days[i]}T02:00:00.000Z`);
      for (const n of [1, 5, 15]) {
        let j = i;
        for (let counted = 0; counted < n && j < days.length; ) if (working(++j)) counted += 1;
        if (j < days.length && workingDaysAfter(at, n).deadline.toISOString() !== end(days[j]!))
          mismatches.push(`${days[i]} +${n}`);
        let k = i;
        for (let counted = 0; counted < n && k >= 0; ) if (working(--k)) counted += 1;
        if (k >= 0 && workingDaysBefore(at, n).at.toISOString() !== end(days[k]!))
          mismatches.push(`${days[i]} -${n}`);
      }
    }
    expect(mismatches).toEqual([]);
    // ≈ 60 000 deadlines: seconds on a loaded machine.
  }, 60_000);
});

describe('the lunar tables’ range', () => {
  it('past 1900–2100 the statutory days are a RangeError naming the range and the remedy', () => {
    for (const year of [1899, 2101])
      expect(() => statutoryHolidays(year)).toThrow(
        new RangeError(
          `calendar: no lunar calendar for ${year} (chinese-days covers 1900–2100); supply the year's holidays as a holiday supplement`,
        ),
      );
    expect(() => statutoryHolidays(2027.5)).toThrow(/no lunar calendar for 2027\.5/);
    expect(() => isWorkingDay('2101-03-01')).toThrow(RangeError);
    // A supplied year needs no lunar table.
    const cal = new WorkingDayCalendar([{ years: [2101], holidays: { '2101-03-01': '春节' }, workdays: {} }]);
    expect(cal.isWorkingDay('2101-03-01')).toBe(false);
    expect(cal.isWorkingDay('2101-03-02')).toBe(true);
  });

  it('the same days in any time zone (chinese-days alone gives other lunar dates west of UTC)', () => {
    const script = `import { statutoryHolidays } from '#shared/domain/calendar.ts';
process.stdout.write(JSON.stringify([2027, 2030, 2045].map((y) => [...statutoryHolidays(y)])));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, TZ: 'America/New_York' },
    });
    expect(JSON.parse(out)).toEqual([2027, 2030, 2045].map((y) => [...statutoryHolidays(y)]));
  }, 60_000);
});
