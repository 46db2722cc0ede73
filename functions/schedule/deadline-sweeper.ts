/**
 * Scheduled DeadlineSweeper (every 5 minutes; locally by the scheduler, on the same clock): the
 * reconciliation. It no longer keeps anything alive (issue 18): the AwaitFinding task's own timeout
 * enforces the deadline, and each deadline's warning is a one-time schedule (use-cases/deadlines.ts). So
 * it reads only what needs repair, through the status index (byOpenStatus) (no Scan), `gsi1sk < graceAgo`:
 *  1. Open investigations (INVESTIGATING, ESCALATED): the attention band (a request holding an accepted
 *     finding, `pendingFinding`, or a failed step, `recoveries`, sorts first: shared/store/keys.ts) and
 *     the requests overdue for longer than the grace period. One whose workflow is not running gets a new
 *     execution (it resumes from the stored state: Decide with the finding, else AwaitFinding, escalating
 *     at once when overdue). Healthy open requests before their deadline are never read.
 *  2. Requests still RECEIVED or CHECKING after the grace period: repair the same way (the intake's
 *     StartExecution failed, or the process died in between).
 * Each run emits the gauges `OverdueRequests` (open investigations overdue for longer than the grace
 * period: a running workflow escalates within it) and `OpenInvestigations` (from the status counters:
 * each is an open execution, against the 1,000,000 open-executions quota), and the liveness count
 * `SweepCompleted` (1), whose alarm treats missing data as breaching: a sweeper that stops cannot go quiet.
 */
import { OPEN_STATUSES, type RequestStatus } from '#shared/domain/request.ts';
import * as z from '#shared/schemas/zod.ts';
import type { RequestRecord } from '#shared/store/model.ts';
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { stepHandler } from '../edge/step.ts';
import { RequestNotFoundError } from '../use-cases/errors.ts';
import { changeRequest } from '../use-cases/requests.ts';
import { startWorkflow } from '../use-cases/workflow.ts';

export const REPAIR_GRACE_MS = 2 * 60_000;

export interface SweepReport {
  repaired: number;
  /** Index entries whose request does not exist (see `isolated`). */
  skipped: number;
  /** Requests whose sweep failed this time (logged; retried next sweep). */
  failed: number;
  /** Index entries read (what the run cost in reads: troubled and overdue requests only). */
  scanned: number;
  /** Open requests overdue for longer than the grace period (the `OverdueRequests` gauge). */
  overdue: number;
  /** Requests in the attention band (an unapplied finding or failed steps). */
  attention: number;
  /** Open investigations (INVESTIGATING + ESCALATED) by the status counters: the `OpenInvestigations` gauge. */
  open: number;
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
    repaired: 0,
    scanned: 0,
    skipped: 0,
    failed: 0,
    overdue: 0,
    attention: 0,
    open: 0,
  };
  const nowMs = deps.clock.now();
  const graceAgo = new Date(nowMs - REPAIR_GRACE_MS).toISOString();
  // 1.
  for (const status of OPEN_STATUSES) {
    for (const request of await allInStatus(deps, status, graceAgo)) {
      report.scanned += 1;
      const overdue = request.deadline !== undefined && request.deadline < graceAgo;
      if (overdue) report.overdue += 1;
      else report.attention += 1;
      await isolated(deps, report, request, async () => {
        // Overdue, or holding an accepted finding / a failed step, for longer than the grace period.
        const stuck = overdue || request.updatedAt < graceAgo;
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
  // Open investigations, each an open Step Functions execution (quota: 1,000,000 per account and region),
  // from the status counters: a few small reads, never the requests.
  for (const status of OPEN_STATUSES) report.open += (await deps.store.countByStatus(status)).count;
  deps.metrics.addMetric('OpenInvestigations', 'Count', report.open);
  // Liveness: one per completed run; its alarm treats missing data as breaching.
  deps.metrics.addMetric('SweepCompleted', 'Count', 1);
  deps.logger.info('sweep done', { ...report });
  return report;
}

export const SweepInputSchema = z.unknown();

export function createHandler(deps: Deps) {
  return stepHandler(deps, SweepInputSchema, () => sweep(deps));
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
