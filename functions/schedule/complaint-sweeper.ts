/**
 * Scheduled ComplaintSweeper (every 5 minutes; locally by the scheduler, on the same clock): no complaint
 * is left without its workflow.
 *
 * Primary course, through the status index (byOpenStatus) (no Scan): every complaint still ACCEPTED, ASSIGNED or
 * ESCALATED whose last change is older than the grace period and whose execution is not running (its start
 * failed at filing, the process died, or a step kept failing) gets a new execution `{id}-r{n}`. It resumes
 * from the stored state: AssignComplaint answers WAIT for an assigned complaint (an overdue one escalates at
 * once, the wait's timeout being the deadline), DECIDE for one holding a stored finding.
 */
import { type ComplaintRecord, type ComplaintStatus, isComplaintFinal } from '#shared/domain/complaint.ts';
import * as z from '#shared/schemas/zod.ts';
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { stepHandler } from '../edge/step.ts';
import { changeComplaint } from '../use-cases/complaints.ts';

export const COMPLAINT_REPAIR_GRACE_MS = 2 * 60_000;
const OPEN: readonly ComplaintStatus[] = ['ACCEPTED', 'ASSIGNED', 'ESCALATED'];

export const ComplaintSweepInputSchema = z.unknown();

async function all(deps: Deps, status: ComplaintStatus): Promise<ComplaintRecord[]> {
  const out: ComplaintRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.accountability.listComplaints(status, {
      limit: 200,
      ...(cursor ? { cursor } : {}),
    });
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return out;
}

/** Restarts the complaint's workflow under a new name when its execution is not running; true if it did. */
export async function repairComplaint(deps: Deps, complaint: ComplaintRecord): Promise<boolean> {
  if (await deps.complaintWorkflow.isRunning(complaint.executionName ?? complaint.complaintId)) return false;
  const n = (complaint.repairs ?? 0) + 1;
  const name = `${complaint.complaintId}-r${n}`;
  const changed = await changeComplaint(deps, complaint.complaintId, (current) =>
    current.version !== complaint.version || isComplaintFinal(current.status)
      ? undefined
      : { changes: { repairs: n, executionName: name } },
  );
  if (changed.executionName !== name) return false;
  await deps.complaintWorkflow.start(complaint.complaintId, name);
  deps.metrics.addMetric('ComplaintWorkflowRepaired', 'Count', 1);
  deps.logger.warn('complaint workflow restarted', { complaintId: complaint.complaintId, execution: name });
  return true;
}

/** One sweep: `{ scanned, repaired, failed }`. A failure on one complaint is logged and retried next time. */
export async function sweepComplaints(deps: Deps) {
  const before = deps.clock.now() - COMPLAINT_REPAIR_GRACE_MS;
  const report = { scanned: 0, repaired: 0, failed: 0 };
  for (const status of OPEN) {
    for (const complaint of await all(deps, status)) {
      report.scanned += 1;
      if (Date.parse(complaint.updatedAt) > before) continue;
      try {
        if (await repairComplaint(deps, complaint)) report.repaired += 1;
      } catch (error) {
        report.failed += 1;
        deps.logger.error('complaint sweep failed', {
          complaintId: complaint.complaintId,
          error: error as Error,
        });
      }
    }
  }
  return report;
}

export function createHandler(deps: Deps) {
  return stepHandler(deps, ComplaintSweepInputSchema, () => sweepComplaints(deps));
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
