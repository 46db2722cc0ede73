/**
 * shared/domain/calendar.ts in the bundles of functions without `access.workingDayCalendar`
 * (functions/function-list.ts; infra/bundling.ts `optionalPackages`): the same exports, none of the
 * calendar's code or data (≈ 6 KB). Nothing runs at import; every function, method and
 * constructor throws (the async ones reject) an `AbsentFromBundleError` naming the function
 * (`AWS_LAMBDA_FUNCTION_NAME`) and the declaration to add — `functions/deps.ts` `calendar()` first of all.
 */
import { calendarAbsentError } from './absent.ts';

const absent = (): never => {
  throw calendarAbsentError(process.env.AWS_LAMBDA_FUNCTION_NAME);
};
const absentAsync = async (..._args: unknown[]): Promise<never> => absent();

class Absent {
  constructor(..._args: unknown[]) {
    absent();
  }
}

export const CalendarDataError = Absent;
export const WorkingDayCalendar = Absent;
export const parseHolidaySupplement = absent;
export const loadHolidaySupplementFile = absentAsync;
export const loadCalendar = absentAsync;
export const statutoryHolidays = absent;
export const workingDaysAfter = absent;
export const workingDaysBefore = absent;
export const isWorkingDay = absent;
export const coveredYears = absent;
export const isCovered = absent;
/** An object, as the real one is (default parameters name it at import); its methods throw. */
export const defaultCalendar = {
  coveredYears: absent,
  isCovered: absent,
  isWorkingDay: absent,
  workingDaysAfter: absent,
  workingDaysBefore: absent,
  workingDaysBetween: absent,
};
