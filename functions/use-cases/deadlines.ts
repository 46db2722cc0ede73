/**
 * Deadline warnings without a central heartbeat (issue 18). The AwaitFinding task's own timeout enforces
 * each deadline (escalation); the warning one working day before it is a one-time schedule made when the
 * investigation is dispatched at that level (`scheduleWarning`, within a flexible window of
 * WARNING_WINDOW_MINUTES (`warningWindowMinutes`) so a day's warnings do not all fire in one second), which fires the DeadlineTimer function
 * (`warnIfDue`). Each request costs one schedule per deadline and one read when it fires: nothing ever
 * reads the open requests to find what is due.
 */
import { beijingDate } from '#shared/domain/beijing-day.ts';
import { warningMoment } from '#shared/domain/deadline.ts';
import { isOpen } from '#shared/domain/request.ts';
import { render } from '#shared/policy/policy.ts';
import { noticeTexts } from '#shared/policy/texts.ts';
import { warningScheduleName, warningWindowMinutes } from '#shared/schedule/port.ts';
import type { RequestRecord } from '#shared/store/model.ts';
import type { Deps } from '../deps.ts';
import { notifyApplicant } from './notify.ts';
import { changeRequest, loadRequest } from './requests.ts';

/**
 * Schedules the warning of the request's current deadline (at its warning moment: stored `warnAt`, else
 * one working day before on the deps' calendar). Nothing for a request without a deadline or already
 * warned for it. Idempotent (the schedule's name is per request and level).
 */
export async function scheduleWarning(deps: Deps, request: RequestRecord): Promise<boolean> {
  if (!request.deadline || request.warnedFor === request.deadline || !isOpen(request.status)) return false;
  const warnAt = warningMoment(deps.policy, request, await deps.calendar());
  if (!warnAt || warnAt >= request.deadline) return false;
  // Spread over a flexible window (the day's warnings share their moment), ending a minute before the
  // deadline at the latest; the escalation itself is the task's timeout and stays exact.
  const window = warningWindowMinutes(Date.parse(warnAt), Date.parse(request.deadline));
  await deps.schedules.scheduleOnce({
    name: warningScheduleName(request.requestId, request.escalationLevel),
    at: Date.parse(warnAt),
    ...(window ? { flexibleWindowMinutes: window } : {}),
    payload: { action: 'WARN', requestId: request.requestId, deadline: request.deadline },
  });
  return true;
}

/**
 * Warns the station (WARNED event, `DeadlineWarning` metric, the applicant's SMS) that `deadline` of the
 * request is one working day away — once per deadline (`warnedFor`, one conditional write). Nothing if
 * the request closed, its deadline moved (escalated: that level has its own schedule), the warning moment
 * is not reached yet (fired early: `'early'`) or the deadline has already passed.
 * Returns what it did. Throws RequestNotFoundError for an unknown request.
 */
export async function warnIfDue(
  deps: Deps,
  requestId: string,
  deadline: string,
): Promise<'warned' | 'already' | 'closed' | 'moved' | 'early' | 'late'> {
  const request = await loadRequest(deps, requestId);
  if (!isOpen(request.status)) return 'closed';
  if (request.deadline !== deadline) return 'moved';
  if (request.warnedFor === deadline) return 'already';
  const now = new Date(deps.clock.now()).toISOString();
  const warnAt = warningMoment(deps.policy, request, await deps.calendar());
  if (warnAt && now < warnAt) return 'early';
  if (deadline <= now) return 'late';
  let wrote = false;
  await changeRequest(
    deps,
    requestId,
    (current) => {
      if (current.warnedFor === current.deadline || current.deadline !== deadline || !isOpen(current.status))
        return undefined;
      wrote = true;
      return {
        changes: { warnedFor: current.deadline },
        event: {
          type: 'WARNED',
          actor: 'system',
          detail: {
            deadline: current.deadline,
            station: current.station,
            level: current.escalationLevel,
            notice: render(noticeTexts(deps.policy).notices.warning, {
              deadline: current.deadline ? beijingDate(new Date(current.deadline)) : '',
            }),
          },
        },
      };
    },
    request,
  );
  if (!wrote) return 'already';
  deps.metrics.addMetric('DeadlineWarning', 'Count', 1);
  await notifyApplicant(deps, request, 'warning');
  return 'warned';
}
