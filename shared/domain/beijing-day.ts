/**
 * Beijing calendar days (UTC+8, no daylight saving): the day of an instant and the instants at which a day
 * starts and ends. Plain date arithmetic, apart from the working-day calendar (shared/domain/calendar.ts,
 * which builds on these): a module that only dates things in Beijing time imports this one, so a Lambda
 * bundle that computes no working-day deadline carries neither the calendar nor chinese-days' tables
 * (functions/function-list.ts `access.workingDayCalendar`, infra/bundling.ts).
 */

const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;
/** One calendar day in milliseconds. */
export const DAY_MS = 24 * 60 * 60 * 1000;

/** The Beijing calendar date (`YYYY-MM-DD`) of an instant. */
export function beijingDate(at: Date): string {
  return new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant at which a Beijing calendar day (`YYYY-MM-DD`) ends: 23:59:59.999 +08:00. */
export function endOfBeijingDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) - BEIJING_OFFSET_MS + DAY_MS - 1);
}

/** The instant at which a Beijing calendar day (`YYYY-MM-DD`) starts: 00:00 +08:00. */
export function startOfBeijingDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) - BEIJING_OFFSET_MS);
}
