/**
 * The working-day calendar as certflow computed it before the derived tables (shared/domain/calendar.ts at
 * ac9ad8f, issue 16): straight on chinese-days' `dist/chinese-days.json` and its lunar conversion and solar
 * terms. tests/unit/domain/calendar-data.test.ts compares today's calendar with it, day by day.
 *
 * Run as a child process: `node --import tsx tests/helpers/chinese-days-oracle.ts FROM TO` prints
 * `{ covered, statutory, days }` as JSON: the covered years; `statutory[year]` the `[date, name]` pairs of
 * the 2024 holiday law for every year 1900–2100; `days` one character per day FROM..TO (`YYYY-MM-DD`,
 * inclusive), `1` a working day, `0` not. chinese-days computes in the process's local time zone (Lambda's
 * is UTC), so this sets TZ=UTC first.
 */
import chineseDays from 'chinese-days';
import chineseDaysData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

process.env.TZ = 'UTC';

const { getSolarDateFromLunar, getSolarTermDate } = chineseDays;
const DAY_MS = 86_400_000;
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);

function statutoryHolidays(year: number): Map<string, string> {
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

const { holidays, workdays } = chineseDaysData as {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
};
const years = Object.keys(holidays).map((d) => Number(d.slice(0, 4)));
const covered: number[] = [];
for (let y = Math.min(...years); y <= Math.max(...years); y += 1) covered.push(y);

function isWorkingDay(d: string): boolean {
  if (d in workdays) return true;
  if (d in holidays) return false;
  if (!covered.includes(Number(d.slice(0, 4))) && statutoryHolidays(Number(d.slice(0, 4))).has(d))
    return false;
  const weekday = new Date(`${d}T00:00:00.000Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

const [from = '2004-01-01', to = '2030-12-31'] = process.argv.slice(2);
const statutory: Record<number, [string, string][]> = {};
for (let y = 1900; y <= 2100; y += 1) statutory[y] = [...statutoryHolidays(y)];
let days = '';
for (let d = from; d <= to; d = addDays(d, 1)) days += isWorkingDay(d) ? '1' : '0';
process.stdout.write(JSON.stringify({ covered, statutory, days }));
