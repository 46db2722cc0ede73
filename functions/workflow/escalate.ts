/**
 * Workflow step Escalate (after AwaitFinding timed out): escalates a request whose deadline has passed.
 *
 * Primary course:
 *  1. Load the request. If its deadline has not passed (a heartbeat timeout, or a retry after the
 *     escalation was written), change nothing and wait again until the same deadline.
 *  2. Otherwise: next level, next deadline (the policy's interval in working days after the old one),
 *     ESCALATED with an event naming the supervisor level; the supervisor alarm metric fires.
 *  3. Return the deadline AwaitFinding waits for next.
 * A request holding an accepted finding that never reached the wait (`pendingFinding`) is not escalated:
 * the step returns `{ path: 'DECIDE', finding }` and the workflow goes to Decide.
 */
import { beijingDate } from '#shared/domain/beijing-day.ts';
import { escalatedDeadline } from '#shared/domain/deadline.ts';
import { isFinal, isOpen } from '#shared/domain/request.ts';
import { render, supervisorAt } from '#shared/policy/policy.ts';
import { noticeTexts } from '#shared/policy/texts.ts';
import * as z from '#shared/schemas/zod.ts';
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { stepHandler } from '../edge/step.ts';
import { changeRequest, loadRequest } from '../use-cases/requests.ts';

export const EscalateInputSchema = z.object({
  requestId: z.string().check(z.minLength(1), z.maxLength(100)),
  error: z.optional(z.unknown()),
});

export class RequestClosedError extends Error {
  override name = 'RequestClosedError';
}

export async function escalateStep(deps: Deps, requestId: string) {
  const before = await loadRequest(deps, requestId);
  if (isFinal(before.status)) throw new RequestClosedError(`request ${requestId} is ${before.status}`);
  // A finding was accepted (stored) but never reached the wait: apply it, never escalate past it.
  if (before.pendingFinding) return { requestId, path: 'DECIDE' as const, finding: before.pendingFinding };
  let escalatedTo: number | undefined;
  const calendar = await deps.calendar();
  const updated = await changeRequest(deps, requestId, (current) => {
    const now = deps.clock.now();
    // 1.
    if (current.deadline === undefined || now < Date.parse(current.deadline)) return undefined;
    if (!isOpen(current.status)) return undefined;
    // 2.
    const level = current.escalationLevel + 1;
    const next = escalatedDeadline(deps.policy, new Date(current.deadline), calendar);
    escalatedTo = level;
    return {
      changes: {
        status: 'ESCALATED',
        escalationLevel: level,
        deadline: next.deadline,
        warnAt: next.warnAt,
        deadlineProvisional: next.provisional || current.deadlineProvisional === true,
        taskToken: undefined,
      },
      event: {
        type: 'ESCALATED',
        actor: 'system',
        detail: {
          level,
          supervisor: supervisorAt(deps.policy, level),
          missedDeadline: current.deadline,
          deadline: next.deadline,
          notice: render(noticeTexts(deps.policy).notices.escalated, {
            level: String(level),
            deadline: beijingDate(new Date(next.deadline)),
          }),
        },
      },
    };
  });
  if (escalatedTo !== undefined) {
    deps.metrics.addDimension('level', String(escalatedTo));
    deps.metrics.addMetric('SupervisorAlarm', 'Count', 1);
    deps.logger.warn('escalated', { requestId, escalationLevel: escalatedTo, station: updated.station });
  }
  // 3.
  return {
    requestId,
    path: 'WAIT' as const,
    deadline: updated.deadline,
    escalationLevel: updated.escalationLevel,
  };
}

export function createHandler(deps: Deps) {
  return stepHandler(deps, EscalateInputSchema, ({ requestId }) => escalateStep(deps, requestId));
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
