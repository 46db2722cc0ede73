/**
 * The working-day calendar at its edges: n = 0 and the largest n, malformed dates, Beijing day boundaries,
 * provisional results at both ends of the data (2004–2026 in chinese-days), supplements that override, and
 * the half-open range count. Every instant is fixed; nothing reads today's date.
 */
import chineseDaysData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { beijingDate, endOfBeijingDay, startOfBeijingDay } from '#shared/domain/beijing-day.ts';
import {
  CalendarDataError,
  coveredYears,
  isCovered,
  isWorkingDay,
  loadHolidaySupplementFile,
  parseHolidaySupplement,
  statutoryHolidays,
  WorkingDayCalendar,
  workingDaysAfter,
  workingDaysBefore,
} from '#shared/domain/calendar.ts';

const cal = new WorkingDayCalendar();
const bj = (local: string) => new Date(`${local}+08:00`);
const iso = (d: Date) => d.toISOString();

describe('Beijing days', () => {
  it.each([
    { at: '2026-11-27T15:59:59.999Z', day: '2026-11-27' },
    { at: '2026-11-27T16:00:00.000Z', day: '2026-11-28' },
    { at: '2026-12-31T16:00:00.000Z', day: '2027-01-01' },
  ])('$at is Beijing day $day', ({ at, day }) => {
    expect(beijingDate(new Date(at))).toBe(day);
  });
  it('a day starts at 00:00 and ends at 23:59:59.999 Beijing time', () => {
    expect(iso(startOfBeijingDay('2026-11-30'))).toBe('2026-11-29T16:00:00.000Z');
    expect(iso(endOfBeijingDay('2026-11-30'))).toBe('2026-11-30T15:59:59.999Z');
  });
});

describe('the count of working days', () => {
  it.each([
    // n = 0: the end of the day of acceptance, whatever day it is
    { accepted: '2026-11-27T10:00', n: 0, deadline: '2026-11-27T15:59:59.999Z', provisional: false },
    { accepted: '2026-11-28T10:00', n: 0, deadline: '2026-11-28T15:59:59.999Z', provisional: false }, // a Saturday
    { accepted: '2026-12-31T23:30', n: 0, deadline: '2026-12-31T15:59:59.999Z', provisional: false },
    // a Friday after 16:00 UTC is already Saturday in Beijing: the count starts from Saturday
    { accepted: '2026-11-28T00:30', n: 1, deadline: '2026-11-30T15:59:59.999Z', provisional: false },
    { accepted: '2026-11-27T23:59', n: 1, deadline: '2026-11-30T15:59:59.999Z', provisional: false },
    { accepted: '2026-11-26T12:00', n: 1, deadline: '2026-11-27T15:59:59.999Z', provisional: false },
    // into 2027, a year without data: Mon–Fri, provisional
    { accepted: '2026-12-30T10:00', n: 1, deadline: '2026-12-31T15:59:59.999Z', provisional: false },
    // 1 January is a statutory day off even without the year's data; then a weekend
    { accepted: '2026-12-30T10:00', n: 2, deadline: '2027-01-04T15:59:59.999Z', provisional: true },
    { accepted: '2026-12-31T10:00', n: 1, deadline: '2027-01-04T15:59:59.999Z', provisional: true },
  ])(
    'accepted $accepted (Beijing), $n working days → $deadline',
    ({ accepted, n, deadline, provisional }) => {
      const r = cal.workingDaysAfter(bj(accepted), n);
      expect({ deadline: iso(r.deadline), provisional: r.provisional }).toEqual({ deadline, provisional });
    },
  );

  it('counts from a day of an uncovered year only what it passes', () => {
    // accepted on Friday 2003-12-26 (no data for 2003); 3 working days: Mon 29, Tue 30, Wed 31 Dec 2003
    expect(cal.workingDaysAfter(bj('2003-12-26T10:00'), 3)).toEqual({
      deadline: endOfBeijingDay('2003-12-31'),
      provisional: true,
    });
    // accepted on 2003-12-31: the next working day is Friday 2 January 2004 (1 January is a holiday)
    expect(cal.workingDaysAfter(bj('2003-12-31T10:00'), 1)).toEqual({
      deadline: endOfBeijingDay('2004-01-02'),
      provisional: false,
    });
  });

  it.each([
    // n = 0: the deadline day itself; provisional when that day has no data
    { deadline: '2026-11-30', n: 0, at: '2026-11-30', provisional: false },
    { deadline: '2027-03-01', n: 0, at: '2027-03-01', provisional: true },
    { deadline: '2026-11-30', n: 1, at: '2026-11-27', provisional: false }, // Monday → Friday
    { deadline: '2026-10-09', n: 1, at: '2026-10-08', provisional: false },
    { deadline: '2026-10-08', n: 1, at: '2026-09-30', provisional: false }, // over National Day
    // a warning that falls into a year without data (counting back from January 2004 into 2003)
    { deadline: '2004-01-05', n: 1, at: '2004-01-02', provisional: false },
    { deadline: '2004-01-05', n: 2, at: '2003-12-31', provisional: true },
    // a deadline in an uncovered year whose warning is back in a covered one
    { deadline: '2027-01-04', n: 2, at: '2026-12-30', provisional: true },
  ])(
    '$n working days before $deadline → $at (provisional: $provisional)',
    ({ deadline, n, at, provisional }) => {
      expect(cal.workingDaysBefore(endOfBeijingDay(deadline), n)).toEqual({
        at: endOfBeijingDay(at),
        provisional,
      });
    },
  );

  it.each([0, 1, 3660])('accepts %d working days', (n) => {
    expect(() => cal.workingDaysAfter(bj('2026-11-27T10:00'), n)).not.toThrow();
    expect(() => cal.workingDaysBefore(bj('2026-11-27T10:00'), n)).not.toThrow();
  });

  it('3660 working days end on a working day exactly 3660 working days later, provisional', () => {
    const r = cal.workingDaysAfter(bj('2026-11-27T10:00'), 3660);
    expect(r.provisional).toBe(true);
    expect(cal.workingDaysBetween('2026-11-27', beijingDate(r.deadline))).toBe(3660);
    expect(cal.isWorkingDay(r.deadline)).toBe(true);
    expect(beijingDate(r.deadline) > '2040-01-01').toBe(true);
  });

  it.each([-1, 3661, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses %d working days', (n) => {
    const message = 'calendar: the number of working days must be an integer from 0 to 3660';
    expect(() => cal.workingDaysAfter(bj('2026-11-27T10:00'), n)).toThrow(new RangeError(message));
    expect(() => cal.workingDaysBefore(bj('2026-11-27T10:00'), n)).toThrow(new RangeError(message));
  });
});

describe('dates given as strings or Dates', () => {
  it.each(['2026-1-01', '26-01-01', '2026-01-011', 'x2026-01-01', '2026/01/01', ''])('refuses %j', (s) => {
    expect(() => cal.isWorkingDay(s)).toThrow(new RangeError(`calendar: not a date YYYY-MM-DD: ${s}`));
    expect(() => cal.isCovered(s)).toThrow(RangeError);
    expect(() => cal.workingDaysBetween(s, '2026-12-01')).toThrow(RangeError);
  });
  it('refuses an invalid Date', () => {
    expect(() => cal.isWorkingDay(new Date('nope'))).toThrow(new RangeError('calendar: invalid Date'));
    expect(() => cal.workingDaysAfter(new Date(Number.NaN), 1)).toThrow(RangeError);
  });
  it.each([
    { day: '2026-11-27', working: true }, // Friday
    { day: '2026-11-28', working: false }, // Saturday
    { day: '2026-11-29', working: false }, // Sunday
    { day: '2026-11-30', working: true }, // Monday
    { day: '2026-10-01', working: false }, // National Day, a Thursday
    { day: '2026-10-10', working: true }, // make-up Saturday
    { day: '2027-01-01', working: false }, // no data, but New Year's Day is a statutory day off
    { day: '2027-01-05', working: true }, // no data: a Tuesday is a working day
    { day: '2027-01-02', working: false },
  ])('$day working: $working', ({ day, working }) => {
    expect(cal.isWorkingDay(day)).toBe(working);
    expect(isWorkingDay(day)).toBe(working);
  });
  it('reads a Date as its Beijing day', () => {
    expect(cal.isWorkingDay(new Date('2026-11-27T16:30:00Z'))).toBe(false); // Saturday 00:30 Beijing
    expect(cal.isCovered(new Date('2026-12-31T16:30:00Z'))).toBe(false); // 2027 in Beijing
    expect(isCovered(new Date('2026-12-31T15:30:00Z'))).toBe(true);
  });
});

describe('working days between two days (from, to]', () => {
  it.each([
    { from: '2026-11-27', to: '2026-11-27', count: 0 },
    { from: '2026-11-30', to: '2026-11-27', count: 0 },
    { from: '2026-11-27', to: '2026-11-28', count: 0 },
    { from: '2026-11-27', to: '2026-11-30', count: 1 },
    { from: '2026-11-26', to: '2026-11-30', count: 2 },
    { from: '2026-09-30', to: '2026-10-10', count: 3 }, // 8, 9 and make-up Saturday 10
  ])('$from → $to: $count', ({ from, to, count }) => {
    expect(cal.workingDaysBetween(from, to)).toBe(count);
    expect(cal.workingDaysBetween(bj(`${from}T12:00`), bj(`${to}T12:00`))).toBe(count);
  });
});

describe('supplements', () => {
  const supplement = parseHolidaySupplement({
    years: [2027, 2003],
    holidays: { '2027-01-01': '元旦', '2026-11-30': 'a correction' },
    workdays: { '2027-01-02': '调休', '2026-10-01': 'a correction' },
  });
  const withData = new WorkingDayCalendar([supplement]);

  it('covers the supplied years, sorted, beside the package’s', () => {
    expect(withData.coveredYears()).toEqual([2003, ...Array.from({ length: 23 }, (_, i) => 2004 + i), 2027]);
    expect(coveredYears()).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
    expect(coveredYears({ calendar: withData })).toContain(2027);
  });

  it.each([
    { day: '2027-01-01', working: false },
    { day: '2027-01-02', working: true },
    { day: '2026-11-30', working: false },
    { day: '2026-10-01', working: true },
    { day: '2027-01-04', working: true },
  ])('with the supplement, $day working: $working', ({ day, working }) => {
    expect(withData.isWorkingDay(day)).toBe(working);
    expect(isWorkingDay(day, { calendar: withData })).toBe(working);
  });

  it('a later supplement wins over an earlier one', () => {
    const later = parseHolidaySupplement({
      years: [2027],
      holidays: { '2027-01-02': '补' },
      workdays: { '2027-01-01': '改' },
    });
    const both = new WorkingDayCalendar([supplement, later]);
    expect([both.isWorkingDay('2027-01-01'), both.isWorkingDay('2027-01-02')]).toEqual([true, false]);
  });

  it('deadlines counted into a supplied year are not provisional', () => {
    const r = workingDaysAfter(bj('2026-12-30T10:00'), 2, { calendar: withData });
    // 31 Dec, then 1 Jan (holiday) and 2 Jan (make-up Saturday)
    expect(r).toEqual({ deadline: endOfBeijingDay('2027-01-02'), provisional: false });
    expect(workingDaysBefore(endOfBeijingDay('2027-01-04'), 1, { calendar: withData })).toEqual({
      at: endOfBeijingDay('2027-01-02'),
      provisional: false,
    });
  });

  it.each([
    { name: 'no years', data: { years: [], holidays: {}, workdays: {} }, path: 'years' },
    { name: 'a year before 1900', data: { years: [1899], holidays: {}, workdays: {} }, path: 'years.0' },
    { name: 'a year after 2200', data: { years: [2201], holidays: {}, workdays: {} }, path: 'years.0' },
    { name: 'a fractional year', data: { years: [2027.5], holidays: {}, workdays: {} }, path: 'years.0' },
    {
      name: 'a day that does not exist',
      data: { years: [2027], holidays: { '2027-02-30': 'x' }, workdays: {} },
    },
    { name: 'a month 13', data: { years: [2027], holidays: {}, workdays: { '2027-13-01': 'x' } } },
    { name: 'a malformed date', data: { years: [2027], holidays: { '2027-1-1': 'x' }, workdays: {} } },
    {
      name: 'a day both off and worked',
      data: { years: [2027], holidays: { '2027-01-01': 'x' }, workdays: { '2027-01-01': 'y' } },
      path: 'workdays.2027-01-01',
    },
  ])('refuses $name', ({ data, path }) => {
    try {
      parseHolidaySupplement(data);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CalendarDataError);
      expect((e as CalendarDataError).name).toBe('CalendarDataError');
      expect((e as Error).message).toMatch(/^invalid holiday data: /);
      if (path) expect((e as CalendarDataError).errors.map((x) => x.path)).toContain(path);
    }
  });

  it('says what is wrong, keeps the cause, and refuses a two-digit year that Date would read as 19xx', () => {
    try {
      parseHolidaySupplement({
        years: [2027],
        holidays: { '2027-01-01': 'x' },
        workdays: { '2027-01-01': 'y' },
      });
      expect.unreachable();
    } catch (e) {
      expect((e as CalendarDataError).errors).toContainEqual({
        path: 'workdays.2027-01-01',
        message: 'is also listed as a holiday',
      });
      expect((e as Error).cause).toBeDefined();
    }
    expect(() =>
      parseHolidaySupplement({ years: [2027], holidays: { '0099-01-01': 'x' }, workdays: {} }),
    ).toThrow(CalendarDataError);
  });

  it('a file that cannot be read names itself, with the cause', async () => {
    const missing = '/nonexistent/holidays-2099.json';
    const e = await loadHolidaySupplementFile(missing).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CalendarDataError);
    expect((e as CalendarDataError).errors).toEqual([
      {
        path: '',
        message: expect.stringMatching(/^cannot read \/nonexistent\/holidays-2099\.json as JSON: /),
      },
    ]);
    expect((e as Error).cause).toBeDefined();
  });

  it('a supplied holiday on a make-up workday of the package makes it a day off', () => {
    const c = new WorkingDayCalendar([{ years: [2026], holidays: { '2026-10-10': '改' }, workdays: {} }]);
    expect([cal.isWorkingDay('2026-10-10'), c.isWorkingDay('2026-10-10')]).toEqual([true, false]);
  });

  it('accepts the boundary years and real leap days', () => {
    expect(
      parseHolidaySupplement({ years: [1900, 2200], holidays: { '2028-02-29': 'x' }, workdays: {} }).years,
    ).toEqual([1900, 2200]);
  });
});

describe('the statutory days off of the 2024 holiday law (《全国年节及纪念日放假办法》)', () => {
  const official = (chineseDaysData as { holidays: Record<string, string> }).holidays;
  it.each([2025, 2026])(
    'in %i, the first years under the law, each is a day off of the published schedule with its name',
    (year) => {
      const days = [...statutoryHolidays(year)];
      expect(days).toHaveLength(13);
      for (const [d, name] of days) {
        expect(official[d], d).toContain(`,${name.replace(/节$/, '')}`);
      }
    },
  );

  it('2027, beyond the published data: the 13 days with their names', () => {
    expect(Object.fromEntries(statutoryHolidays(2027))).toEqual({
      '2027-01-01': '元旦',
      '2027-02-05': '春节', // Spring Festival eve: lunar new year is Saturday 6 February
      '2027-02-06': '春节',
      '2027-02-07': '春节',
      '2027-02-08': '春节',
      '2027-04-05': '清明节',
      '2027-05-01': '劳动节',
      '2027-05-02': '劳动节',
      '2027-06-09': '端午节',
      '2027-09-15': '中秋节',
      '2027-10-01': '国庆节',
      '2027-10-02': '国庆节',
      '2027-10-03': '国庆节',
    });
  });

  it.each([
    { day: '2027-02-04', working: true }, // Thursday before the eve
    { day: '2027-02-05', working: false },
    { day: '2027-02-08', working: false }, // Monday, the fourth day
    { day: '2027-02-09', working: true },
    { day: '2027-06-09', working: false }, // Wednesday, 端午
    { day: '2027-09-15', working: false }, // Wednesday, 中秋
    { day: '2027-09-16', working: true },
  ])('a calendar without 2027 data: $day working $working, asked twice', ({ day, working }) => {
    const cal = new WorkingDayCalendar();
    expect([cal.isWorkingDay(day), cal.isWorkingDay(day)]).toEqual([working, working]);
  });
});

describe('holiday supplements name the field and say what is wrong with it', () => {
  it.each([
    '2027-01-011', // a day of three digits
    '12027-01-01', // a year of five digits
    'x2027-01-01',
    '2027-1-01',
    '2027-02-30', // no such day
    '2027-00-10', // no such month
  ])('a holiday on %j is refused, naming the key', (key) => {
    let error: unknown;
    try {
      parseHolidaySupplement({ years: [2027], holidays: { [key]: 'x' }, workdays: {} });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CalendarDataError);
    expect((error as CalendarDataError).errors.map((e) => e.path)).toEqual([`holidays.${key}`]);
  });

  it('a real day in the form YYYY-MM-DD is taken', () => {
    const s = parseHolidaySupplement({ years: [2027], holidays: { '2027-02-28': 'x' }, workdays: {} });
    expect(s.holidays).toEqual({ '2027-02-28': 'x' });
  });

  it('a day both a holiday and a workday: the workday entry is named', () => {
    let error: unknown;
    try {
      parseHolidaySupplement({
        years: [2027],
        holidays: { '2027-01-02': 'a' },
        workdays: { '2027-01-02': 'b' },
      });
    } catch (e) {
      error = e;
    }
    expect((error as CalendarDataError).errors).toContainEqual(
      expect.objectContaining({ path: 'workdays.2027-01-02', message: 'is also listed as a holiday' }),
    );
  });
});
