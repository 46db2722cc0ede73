/**
 * Deadline and warning arithmetic of an investigation, in one place: the first deadline (rule 8 of the
 * rule check), the next one after an escalation, and the warning moment before either. Working days are
 * those of the given `WorkingDayCalendar` (chinese-days plus any holiday supplement); every time is a
 * UTC `Date` or ISO 8601 string, every count a number of working days from the policy's `service`.
 */
import { defaultCalendar, type WorkingDayCalendar } from '#shared/domain/calendar.ts';
import type { InvestigationDeadline } from '#shared/domain/types.ts';
import type { CatalogueKind, Policy } from '#shared/policy/policy.ts';

/**
 * The deadline, warning moment and escalation interval of an investigation accepted at `acceptedAt`:
 * the kind's own working days where it has them (2021 criminal-record rules: 3), else the policy's service
 * standard (Jilin notice: 5 working days from acceptance).
 */
export function investigationDeadline(
  policy: Policy,
  acceptedAt: Date,
  calendar: WorkingDayCalendar = defaultCalendar,
  kind?: CatalogueKind,
): InvestigationDeadline {
  const { warnWorkingDaysBefore, escalationIntervalWorkingDays } = policy.service;
  const investigationWorkingDays = kind?.investigationWorkingDays ?? policy.service.investigationWorkingDays;
  const due = calendar.workingDaysAfter(acceptedAt, investigationWorkingDays);
  const warn =
    warnWorkingDaysBefore > 0 && warnWorkingDaysBefore < investigationWorkingDays
      ? calendar.workingDaysBefore(due.deadline, warnWorkingDaysBefore)
      : { at: due.deadline, provisional: false };
  return {
    acceptedAt: acceptedAt.toISOString(),
    deadline: due.deadline.toISOString(),
    warnAt: warn.at.toISOString(),
    workingDays: investigationWorkingDays,
    escalationIntervalWorkingDays,
    provisional: due.provisional || warn.provisional,
  };
}

/**
 * The deadline after an escalation: `policy.service.escalationIntervalWorkingDays` working days after the
 * missed `deadline`, and its warning moment (`warnWorkingDaysBefore` working days before it).
 * Returns ISO strings; `provisional` when the calendar had no official data for a day it crossed.
 */
export function escalatedDeadline(
  policy: Policy,
  missedDeadline: Date,
  calendar: WorkingDayCalendar,
): { deadline: string; warnAt: string; provisional: boolean } {
  const next = calendar.workingDaysAfter(missedDeadline, policy.service.escalationIntervalWorkingDays);
  const warn = calendar.workingDaysBefore(next.deadline, policy.service.warnWorkingDaysBefore);
  return {
    deadline: next.deadline.toISOString(),
    warnAt: warn.at.toISOString(),
    provisional: next.provisional,
  };
}

/**
 * When the station is warned before `request.deadline` (ISO): the stored `warnAt` when there is one, else
 * computed on `calendar`, `policy.service.warnWorkingDaysBefore` working days before the deadline.
 * Undefined for a request without a deadline.
 */
export function warningMoment(
  policy: Policy,
  request: { deadline?: string; warnAt?: string },
  calendar: WorkingDayCalendar,
): string | undefined {
  if (request.warnAt !== undefined) return request.warnAt;
  if (request.deadline === undefined) return undefined;
  return calendar
    .workingDaysBefore(new Date(request.deadline), policy.service.warnWorkingDaysBefore)
    .at.toISOString();
}
