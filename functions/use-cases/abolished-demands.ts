/**
 * The abolished-demand tracker (issue 13.3): which bodies keep demanding certificates that the notice
 * abolished or that the hukou booklet proves. Counters move as requests are declined (no scan); the
 * public figures are one Query of a bounded partition (bodies × kinds); a monthly report goes, signed, to
 * every connected body and to the supervisors.
 */
import { createHash } from 'node:crypto';
import {
  type AbolishedDemandLine,
  abolishedDemandLines,
  abolishedDemandReport,
  beijingMonth,
  isAbolishedDemand,
  previousMonth,
} from '#shared/domain/citizen.ts';
import type { RequestRecord } from '#shared/store/model.ts';
import { deliverSigned } from '#shared/webhooks/delivery.ts';
import type { Deps } from '../deps.ts';
import { departmentsOf } from '../edge/departments.ts';

/**
 * Counts a request the rule check just declined as abolished or provable by the booklet under its asking
 * body (`askedBy`; free-text `OTHER` bodies stay `OTHER`) and kind. Called once, by the invocation whose
 * conditional write declined it: at most once per request (a crash between the two writes loses one count;
 * there are no transactions on dynalite). Never fails the step: a lost count is logged.
 */
export async function countDeclinedDemand(
  deps: Deps,
  request: Pick<RequestRecord, 'requestId' | 'proof' | 'input' | 'outcome'>,
): Promise<void> {
  if (!isAbolishedDemand(request.outcome)) return;
  try {
    const now = deps.clock.now();
    await deps.store.countAbolishedDemand({
      month: beijingMonth(now),
      body: request.input.askedBy,
      kind: request.proof,
      counter: 'declined',
      at: new Date(now).toISOString(),
    });
    deps.metrics.addMetric('AbolishedDemandCounted', 'Count', 1);
  } catch (error) {
    deps.logger.warn('abolished demand not counted', { requestId: request.requestId, error: String(error) });
  }
}

/**
 * THE HOOK FOR COMPLAINTS (issue 13.1, branch `complaints`): an upheld complaint of kind ABOLISHED_DEMAND
 * naming `body` (an `askedBy` code) and `kind` (a proof code) adds to the tracker's `upheldComplaints`.
 * Call it once, when the complaint is upheld.
 */
export async function countUpheldAbolishedDemandComplaint(
  deps: Deps,
  complaint: { body: string; kind: string; upheldAt: string },
): Promise<void> {
  await deps.store.countAbolishedDemand({
    month: beijingMonth(Date.parse(complaint.upheldAt)),
    body: complaint.body,
    kind: complaint.kind,
    counter: 'upheldComplaints',
    at: complaint.upheldAt,
  });
}

/** The public figures of `period` (`ALL` or `YYYY-MM`): named lines, the most demanded first. */
export async function abolishedDemandFigures(
  deps: Deps,
  period: string,
): Promise<{
  period: string;
  lines: AbolishedDemandLine[];
  totals: { declined: number; upheldComplaints: number };
}> {
  const lines = abolishedDemandLines(deps.policy, await deps.store.listAbolishedDemands(period));
  const totals = { declined: 0, upheldComplaints: 0 };
  for (const l of lines) {
    totals.declined += l.declined;
    totals.upheldComplaints += l.upheldComplaints;
  }
  return { period, lines, totals };
}

/** Who gets the report besides the connected bodies: the supervisors' copy (kept with the report). */
export const SUPERVISORS = 'SUPERVISORS';

/**
 * The monthly report (the scheduled AbolishedDemandReport, daily): for the Beijing month before now,
 * stores the report once (its SHA-256 digest is what every copy carries), then sends it — Standard
 * Webhooks, signed with each body's secret — to every connected body with an endpoint that has not had
 * it yet, and records the supervisors' copy (read at `GET /v1/transparency/abolished-demands/reports/{month}`
 * with a supervisor sign-in; also an INFO log and the metric `AbolishedDemandReport`). A body whose
 * endpoint fails is tried again on the next run. A month without any abolished demand has no report.
 * Returns the month and who it went to this run.
 */
export async function sendMonthlyReport(deps: Deps): Promise<{ month: string; sentNow: string[] }> {
  const month = previousMonth(beijingMonth(deps.clock.now()));
  const counts = await deps.store.listAbolishedDemands(month);
  // A month in which no body demanded anything abolished has nothing to name: no report.
  if (counts.length === 0) return { month, sentNow: [] };
  const report = abolishedDemandReport(deps.policy, month, counts);
  const digest = createHash('sha256').update(JSON.stringify(report)).digest('hex');
  const stored = await deps.store.putAbolishedDemandReport({
    month,
    producedAt: new Date(deps.clock.now()).toISOString(),
    report,
    digest,
    sentTo: [],
  });
  const sentNow: string[] = [];
  for (const body of deps.policy.bodies) {
    if (!body.connected || stored.sentTo.includes(body.code)) continue;
    const department = await departmentsOf(deps).get(body.code);
    if (!department?.endpoint || department.secrets.length === 0 || !department.connected) continue;
    try {
      await deliverSigned({
        endpoint: department.endpoint,
        secrets: department.secrets,
        message: {
          id: `abolished-demands.${month}.${body.code}`,
          type: 'certflow.transparency.abolished_demands',
          data: { ...stored.report, digest: stored.digest, producedAt: stored.producedAt },
        },
        clock: deps.clock,
        fetch: deps.fetch,
      });
      await deps.store.markAbolishedDemandReportSent(month, body.code);
      sentNow.push(body.code);
    } catch (error) {
      deps.logger.warn('abolished-demand report not delivered', {
        department: body.code,
        error: String(error),
      });
    }
  }
  if (!stored.sentTo.includes(SUPERVISORS)) {
    await deps.store.markAbolishedDemandReportSent(month, SUPERVISORS);
    deps.logger.info('abolished-demand report for the supervisors', {
      month,
      digest: stored.digest,
      bodies: (stored.report as { bodies?: unknown }).bodies,
    });
    deps.metrics.addMetric('AbolishedDemandReport', 'Count', 1);
    sentNow.push(SUPERVISORS);
  }
  return { month, sentNow };
}
