/**
 * Scheduled DeadlineSweeper (every 5 minutes; locally by the scheduler, on the same clock).
 *
 * Primary course, through the byStatusDeadline index (no Scan):
 *  1. Waiting investigations (INVESTIGATING, ESCALATED):
 *     a. heartbeat the waiting task (SendTaskHeartbeat), so its HeartbeatSeconds never lapses while the
 *        token is held;
 *     b. warn the station once per deadline when the warning moment (one working day before) is past:
 *        WARNED event + DeadlineWarning metric;
 *     c. repair: a request overdue for longer than the grace period, or holding an accepted finding
 *        (`pendingFinding`) or a failed step (`recoveries`) that long, whose workflow is not running gets
 *        a new execution (it resumes from the stored state: Decide with the finding, else AwaitFinding,
 *        escalating at once when overdue).
 *  2. Requests still RECEIVED or CHECKING after the grace period: repair the same way (the intake's
 *     StartExecution failed, or the process died in between).
 * Each run emits the gauge `OverdueRequests`: the waiting requests of 1. whose deadline has passed.
 */
import { z } from 'zod';
import { beijingDate } from '#shared/domain/calendar.ts';
import { warningMoment } from '#shared/domain/deadline.ts';
import { isOpen, OPEN_STATUSES, type RequestStatus } from '#shared/domain/request.ts';
import { render } from '#shared/policy/policy.ts';
import type { RequestRecord } from '#shared/store/model.ts';
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { stepHandler } from '../edge/step.ts';
import { RequestNotFoundError } from '../use-cases/errors.ts';
import { changeRequest } from '../use-cases/requests.ts';
import { startWorkflow } from '../use-cases/workflow.ts';

export const REPAIR_GRACE_MS = 2 * 60_000;

export interface SweepReport {
  heartbeats: number;
  warned: number;
  repaired: number;
  /** Index entries whose request does not exist (see `isolated`). */
  skipped: number;
  /** Requests whose sweep failed this time (logged; retried next sweep). */
  failed: number;
  scanned: number;
  /** Open INVESTIGATING / ESCALATED requests whose deadline has passed (the `OverdueRequests` gauge). */
  overdue: number;
}

async function allInStatus(deps: Deps, status: RequestStatus, before?: string): Promise<RequestRecord[]> {
  const out: RequestRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.listByStatus(status, {
      limit: 200,
      ...(before ? { before } : {}),
      ...(cursor ? { cursor } : {}),
    });
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return out;
}

export async function repair(deps: Deps, request: RequestRecord): Promise<boolean> {
  if (await deps.workflow.isRunning(request.executionName ?? request.requestId)) return false;
  const n = (request.repairs ?? 0) + 1;
  const name = `${request.requestId}-r${n}`;
  await changeRequest(deps, request.requestId, (current) =>
    current.version !== request.version
      ? undefined
      : {
          changes: { repairs: n, executionName: name, recoveries: 0 },
          event: {
            type: 'WORKFLOW_RESTARTED',
            actor: 'system',
            detail: { execution: name, status: current.status },
          },
        },
  );
  const started = await startWorkflow(deps, request.requestId, name);
  deps.metrics.addMetric('WorkflowRepaired', 'Count', 1);
  deps.logger.warn('workflow restarted', { requestId: request.requestId, execution: name, started });
  return true;
}

/**
 * One request's trouble never stops the sweep of the others. An index entry whose request item does not
 * exist (dynalite writes index entries before the item, so a kill -9 between the two leaves one for a
 * request that was never accepted) is skipped; any other failure is logged and counted, and the next
 * sweep tries again.
 */
async function isolated(deps: Deps, report: SweepReport, request: RequestRecord, work: () => Promise<void>) {
  try {
    await work();
  } catch (error) {
    if (error instanceof RequestNotFoundError) {
      report.skipped += 1;
      deps.logger.info('sweep: index entry without a request, skipped', { requestId: request.requestId });
      return;
    }
    report.failed += 1;
    deps.logger.error('sweep: request failed, will retry on the next sweep', {
      requestId: request.requestId,
      error: error as Error,
    });
  }
}

export async function sweep(deps: Deps): Promise<SweepReport> {
  const report: SweepReport = {
    heartbeats: 0,
    warned: 0,
    repaired: 0,
    scanned: 0,
    skipped: 0,
    failed: 0,
    overdue: 0,
  };
  const nowMs = deps.clock.now();
  const now = new Date(nowMs).toISOString();
  const graceAgo = new Date(nowMs - REPAIR_GRACE_MS).toISOString();
  const calendar = await deps.calendar();
  // 1.
  for (const status of OPEN_STATUSES) {
    for (const request of await allInStatus(deps, status)) {
      report.scanned += 1;
      if (request.deadline && request.deadline < now) report.overdue += 1;
      await isolated(deps, report, request, async () => {
        if (request.taskToken && (await deps.workflow.heartbeat(request.taskToken)) === 'done')
          report.heartbeats += 1;
        // As stored with the deadline, else on the stack's calendar (with CERTFLOW_HOLIDAYS_FILE).
        const warnAt = warningMoment(deps.policy, request, calendar);
        if (
          warnAt &&
          request.deadline &&
          warnAt <= now &&
          now < request.deadline &&
          request.warnedFor !== request.deadline
        ) {
          await changeRequest(deps, request.requestId, (current) =>
            current.warnedFor === current.deadline ||
            current.deadline !== request.deadline ||
            !isOpen(current.status)
              ? undefined
              : {
                  changes: { warnedFor: current.deadline },
                  event: {
                    type: 'WARNED',
                    actor: 'system',
                    detail: {
                      deadline: current.deadline,
                      station: current.station,
                      level: current.escalationLevel,
                      notice: render(deps.policy.notices.warning, {
                        deadline: current.deadline ? beijingDate(new Date(current.deadline)) : '',
                      }),
                    },
                  },
                },
          );
          deps.metrics.addMetric('DeadlineWarning', 'Count', 1);
          report.warned += 1;
        }
        // Overdue, or holding an accepted finding / a failed step, for longer than the grace period.
        const stuck =
          (request.deadline !== undefined && request.deadline < graceAgo) ||
          ((request.pendingFinding !== undefined || (request.recoveries ?? 0) > 0) &&
            request.updatedAt < graceAgo);
        if (stuck && (await repair(deps, request))) report.repaired += 1;
      });
    }
  }
  // 2.
  for (const status of ['RECEIVED', 'CHECKING'] as const) {
    for (const request of await allInStatus(deps, status, graceAgo)) {
      report.scanned += 1;
      await isolated(deps, report, request, async () => {
        if (request.acceptedAt < graceAgo && request.updatedAt < graceAgo && (await repair(deps, request)))
          report.repaired += 1;
      });
    }
  }
  // A gauge, on every run (0 too): the CloudWatch overdue alarm takes its Maximum over the period.
  deps.metrics.addMetric('OverdueRequests', 'Count', report.overdue);
  deps.logger.info('sweep done', { ...report });
  return report;
}

export const SweepInputSchema = z.unknown();

export function createHandler(deps: Deps) {
  return stepHandler(deps, SweepInputSchema, () => sweep(deps));
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
