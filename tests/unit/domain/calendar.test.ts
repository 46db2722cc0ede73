import chineseDays from 'chinese-days';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { beijingDate, endOfBeijingDay } from '#shared/domain/beijing-day.ts';
import {
  CalendarDataError,
  coveredYears,
  defaultCalendar,
  isCovered,
  isWorkingDay,
  loadHolidaySupplementFile,
  parseHolidaySupplement,
  WorkingDayCalendar,
  workingDaysAfter,
  workingDaysBefore,
} from '#shared/domain/calendar.ts';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).pathname;
/** An instant given in Beijing wall-clock time. */
const bj = (local: string) => new Date(`${local}+08:00`);

describe('the 2026 National Day holiday (State Council schedule as shipped by chinese-days)', () => {
  // Official 2026 schedule: National Day 1–7 October off (Thu–Wed); make-up workdays Sunday 20 September and
  // Saturday 10 October. Mid-Autumn is separate (Fri 25 – Sun 27 September). 8 October is a normal Thursday.
  it.each([
    ['2026-09-20', true, 'Sunday make-up workday'],
    ['2026-09-25', false, 'Mid-Autumn Festival (Friday)'],
    ['2026-09-30', true, 'Wednesday'],
    ['2026-10-01', false, 'National Day'],
    ['2026-10-05', false, 'National Day (Monday)'],
    ['2026-10-07', false, 'National Day, last day'],
    ['2026-10-08', true, 'Thursday after the holiday'],
    ['2026-10-10', true, 'Saturday make-up workday'],
    ['2026-10-11', false, 'Sunday'],
  ])('%s is a working day: %s (%s)', (date, working) => {
    expect(isWorkingDay(date)).toBe(working);
  });

  it('5 working days from Wednesday 30 September end on Tuesday 13 October (8, 9, Sat 10, 12, 13)', () => {
    const r = workingDaysAfter(bj('2026-09-30T10:00:00'), 5);
    expect(r.deadline.toISOString()).toBe('2026-10-13T15:59:59.999Z');
    expect(beijingDate(r.deadline)).toBe('2026-10-13');
    expect(r.provisional).toBe(false);
  });

  it('counts the make-up Saturday: accepted Friday 9 October → 10 (Sat), 12, 13, 14, 15', () => {
    expect(beijingDate(workingDaysAfter(bj('2026-10-09T09:00:00'), 5).deadline)).toBe('2026-10-15');
  });

  it('counts the make-up Sunday: accepted Friday 18 September → 20 (Sun), 21, 22, 23, 24', () => {
    expect(beijingDate(workingDaysAfter(bj('2026-09-18T16:00:00'), 5).deadline)).toBe('2026-09-24');
  });

  it('an acceptance during the holiday counts from the day after it', () => {
    expect(beijingDate(workingDaysAfter(bj('2026-10-03T12:00:00'), 1).deadline)).toBe('2026-10-08');
    // 8, 9, Sat 10, 12, 13: the same deadline as an acceptance on 30 September.
    expect(beijingDate(workingDaysAfter(bj('2026-10-03T12:00:00'), 5).deadline)).toBe('2026-10-13');
  });

  it('the day of acceptance is the Beijing day, not the UTC day', () => {
    // 30 Sep 23:30 Beijing = 30 Sep 15:30 UTC; 1 Oct 00:30 Beijing = 30 Sep 16:30 UTC.
    expect(beijingDate(workingDaysAfter(new Date('2026-09-30T15:30:00Z'), 1).deadline)).toBe('2026-10-08');
    expect(beijingDate(workingDaysAfter(new Date('2026-10-07T16:30:00Z'), 1).deadline)).toBe('2026-10-09');
    expect(beijingDate(workingDaysAfter(new Date('2026-10-07T15:59:59.999Z'), 1).deadline)).toBe(
      '2026-10-08',
    );
  });

  it('the warning is the end of the working day before the deadline day (skipping the weekend)', () => {
    const deadline = workingDaysAfter(bj('2026-09-30T10:00:00'), 5).deadline; // Tue 13 Oct
    expect(workingDaysBefore(deadline, 1).at.toISOString()).toBe('2026-10-12T15:59:59.999Z');
    // Deadline Monday 12 October → warning at the end of the make-up Saturday 10 October.
    expect(beijingDate(workingDaysBefore(endOfBeijingDay('2026-10-12'), 1).at)).toBe('2026-10-10');
    // Deadline Thursday 8 October → warning at the end of 30 September, before the holiday.
    expect(beijingDate(workingDaysBefore(endOfBeijingDay('2026-10-08'), 1).at)).toBe('2026-09-30');
  });

  it('escalation: 2 working days after a deadline on Friday 9 October are Sat 10 (make-up) and Mon 12', () => {
    const deadline = endOfBeijingDay('2026-10-09');
    expect(beijingDate(workingDaysAfter(deadline, 2).deadline)).toBe('2026-10-12');
  });
});

describe('agreement with chinese-days', () => {
  it('isWorkingDay matches chinese-days.isWorkday for every day of 2024–2026', () => {
    const mismatches: string[] = [];
    for (let t = Date.UTC(2024, 0, 1); t <= Date.UTC(2026, 11, 31); t += 86_400_000) {
      const day = new Date(t).toISOString().slice(0, 10);
      if (isWorkingDay(day) !== chineseDays.isWorkday(day)) mismatches.push(day);
    }
    expect(mismatches).toEqual([]);
  });
});

describe('coverage and provisional deadlines', () => {
  it('knows which years it covers', () => {
    const years = coveredYears();
    expect(years[0]).toBe(2004);
    expect(years).toContain(2026);
    expect(years).not.toContain(2027);
    expect(isCovered('2026-12-31')).toBe(true);
    expect(isCovered(bj('2027-01-01T00:00:00'))).toBe(false);
    expect(isCovered(new Date('2026-12-31T16:00:00Z'))).toBe(false); // already 1 Jan 2027 in Beijing
  });

  it('a deadline counted into an uncovered year skips the statutory days off and is provisional', () => {
    // Issue 10: accepted 2026-12-28 the deadline was 2027-01-04, counting New Year's Day (2024 holiday law,
    // art. 2: 1 January is a day off). Now: 29, 30, 31, (Fri 1 Jan off), Mon 4, Tue 5 January.
    const r = workingDaysAfter(bj('2026-12-28T10:00:00'), 5);
    expect(beijingDate(r.deadline)).toBe('2027-01-05');
    expect(r.provisional).toBe(true);
    expect(workingDaysAfter(bj('2026-12-21T10:00:00'), 5).provisional).toBe(false);
  });

  it('holiday data for a new year is supplied as a file, without a release', async () => {
    const supplement = await loadHolidaySupplementFile(fixture('holidays-2027-sample.json'));
    const calendar = new WorkingDayCalendar([supplement]);
    expect(calendar.coveredYears()).toContain(2027);
    expect(calendar.isWorkingDay('2027-01-01')).toBe(false);
    const r = workingDaysAfter(bj('2026-12-28T10:00:00'), 5, { calendar });
    expect(beijingDate(r.deadline)).toBe('2027-01-05');
    expect(r.provisional).toBe(false);
    // The default calendar has no 2027 schedule, but 1 January is a statutory day off (2024 holiday law).
    expect(defaultCalendar.isWorkingDay('2027-01-01')).toBe(false);
    expect(defaultCalendar.isCovered('2027-01-01')).toBe(false);
  });

  it('a supplement can correct a covered year (holiday → workday and back)', () => {
    const calendar = new WorkingDayCalendar([
      {
        years: [],
        holidays: { '2026-10-08': 'extra day off' },
        workdays: { '2026-10-03': 'worked Saturday' },
      },
    ]);
    expect(calendar.isWorkingDay('2026-10-08')).toBe(false);
    expect(calendar.isWorkingDay('2026-10-03')).toBe(true);
  });
});

describe('invalid holiday data names the field', () => {
  it.each([
    [{ years: [], holidays: {}, workdays: {} }, 'years'],
    [{ years: [2027], holidays: { '2027-13-01': 'x' }, workdays: {} }, 'holidays.2027-13-01'],
    [{ years: [2027], holidays: { 'Jan 1': 'x' }, workdays: {} }, 'holidays.Jan 1'],
    [{ years: [2027], holidays: { '2027-01-01': 1 }, workdays: {} }, 'holidays.2027-01-01'],
    [
      { years: [2027], holidays: { '2027-01-01': 'a' }, workdays: { '2027-01-01': 'b' } },
      'workdays.2027-01-01',
    ],
    [{ years: ['2027'], holidays: {}, workdays: {} }, 'years.0'],
    [{ years: [2027], holidays: {} }, 'workdays'],
  ])('%j → %s', (data, path) => {
    let error: unknown;
    try {
      parseHolidaySupplement(data);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CalendarDataError);
    expect((error as CalendarDataError).errors.map((e) => e.path)).toContain(path);
  });

  it('a missing or non-JSON file is a CalendarDataError', async () => {
    await expect(loadHolidaySupplementFile(fixture('does-not-exist.json'))).rejects.toBeInstanceOf(
      CalendarDataError,
    );
    await expect(loadHolidaySupplementFile(fixture('not-json.txt'))).rejects.toBeInstanceOf(
      CalendarDataError,
    );
  });

  it('a negative or fractional count is a RangeError', () => {
    // A fixed day (tests never read today's date): the count is refused whatever the day.
    const monday = new Date('2026-11-23T02:00:00.000Z');
    expect(() => workingDaysAfter(monday, -1)).toThrow(RangeError);
    expect(() => workingDaysAfter(monday, 1.5)).toThrow(RangeError);
    expect(() => workingDaysAfter(new Date(Number.NaN), 1)).toThrow(RangeError);
  });
});

describe('deadline properties', () => {
  const instant = fc
    .integer({ min: Date.UTC(2005, 0, 1), max: Date.UTC(2026, 10, 30) })
    .map((t) => new Date(t));
  const count = fc.integer({ min: 1, max: 12 });

  it('a deadline is the end of a working day, exactly N working days after the day of acceptance', () => {
    fc.assert(
      fc.property(instant, count, (acceptedAt, n) => {
        const { deadline } = workingDaysAfter(acceptedAt, n);
        expect(isWorkingDay(deadline)).toBe(true);
        expect(defaultCalendar.workingDaysBetween(acceptedAt, deadline)).toBe(n);
        expect(deadline.getTime()).toBe(endOfBeijingDay(beijingDate(deadline)).getTime());
        // never earlier than N working days: the day before the deadline day has fewer than N
        expect(
          defaultCalendar.workingDaysBetween(acceptedAt, new Date(deadline.getTime() - 86_400_000)),
        ).toBe(n - 1);
        expect(deadline.getTime()).toBeGreaterThan(acceptedAt.getTime());
      }),
      { numRuns: 300 },
    );
  });

  it('is monotonic in the acceptance time', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 20 * 86_400_000 }), count, (a, delta, n) => {
        const b = new Date(a.getTime() + delta);
        expect(workingDaysAfter(b, n).deadline.getTime()).toBeGreaterThanOrEqual(
          workingDaysAfter(a, n).deadline.getTime(),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('is monotonic in N and the warning comes before the deadline', () => {
    fc.assert(
      fc.property(instant, count, (acceptedAt, n) => {
        const d = workingDaysAfter(acceptedAt, n).deadline;
        expect(workingDaysAfter(acceptedAt, n + 1).deadline.getTime()).toBeGreaterThan(d.getTime());
        const warn = workingDaysBefore(d, 1).at;
        expect(warn.getTime()).toBeLessThan(d.getTime());
        expect(isWorkingDay(warn)).toBe(true);
        expect(defaultCalendar.workingDaysBetween(warn, d)).toBe(1);
      }),
      { numRuns: 200 },
    );
  });

  it('within covered years nothing is provisional', () => {
    fc.assert(
      fc.property(instant, count, (acceptedAt, n) => {
        const r = workingDaysAfter(acceptedAt, n);
        expect(r.provisional).toBe(!isCovered(r.deadline));
      }),
      { numRuns: 200 },
    );
  });
});

describe('independent of the process time zone', () => {
  it('gives the same deadlines whatever TZ the process runs in (Lambda runs in UTC, laptops do not)', () => {
    const samples = [
      bj('2026-09-30T23:30:00'),
      bj('2026-10-01T00:30:00'),
      bj('2026-12-31T23:59:00'),
      bj('2026-02-14T08:00:00'),
    ];
    const run = () =>
      samples.map((d) => [workingDaysAfter(d, 5).deadline.toISOString(), isWorkingDay(d), beijingDate(d)]);
    const original = process.env.TZ;
    try {
      process.env.TZ = 'UTC';
      const utc = run();
      process.env.TZ = 'America/Los_Angeles';
      const la = run();
      process.env.TZ = 'Pacific/Kiritimati';
      expect(run()).toEqual(utc);
      expect(la).toEqual(utc);
    } finally {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    }
  });
});
