/**
 * Complaints (投诉举报) from filing to the supervisor's finding, shared by the HTTP routes and the steps of
 * the complaint workflow (workflows/complaint.ts). Read-decide-write with the version check, like
 * requests.ts; the rules are the domain's (shared/domain/complaint.ts), the figures the accountability
 * policy's (shared/policy/accountability.json).
 */
import { deriveAccessToken, newRequestId, sha256Hex } from '#shared/certificates/ids-and-codes.ts';
import {
  accountabilityRecordFor,
  assignmentAt,
  type ComplaintFinding,
  type ComplaintRecord,
  complaintDeadline,
  isComplaintFinal,
  isComplaintWaiting,
} from '#shared/domain/complaint.ts';
import type { ComplaintBody } from '#shared/schemas/complaint.ts';
import { VersionConflictError } from '#shared/store/errors.ts';
import type { Deps } from '../deps.ts';
import { ComplaintNotFoundError, StateConflictError, UnknownReferenceError } from './errors.ts';
import { nowIso } from './requests.ts';

/** Complaint ids: `c` + the request id scheme (time-ordered, 26 characters): 27 characters. */
export function newComplaintId(nowMs: number, random: Buffer): string {
  return `C${newRequestId(nowMs, random)}`;
}

export async function loadComplaint(deps: Deps, complaintId: string): Promise<ComplaintRecord> {
  const c = await deps.accountability.getComplaint(complaintId);
  if (!c) throw new ComplaintNotFoundError(`complaint ${complaintId} does not exist`);
  return c;
}

type ComplaintChange =
  | { changes: Partial<ComplaintRecord>; event?: Omit<ComplaintRecord['history'][number], 'at'> }
  | undefined;

/** Reads, asks `decide`, writes conditionally; re-reads and re-decides on a concurrent change. */
export async function changeComplaint(
  deps: Deps,
  complaintId: string,
  decide: (c: ComplaintRecord) => ComplaintChange | Promise<ComplaintChange>,
): Promise<ComplaintRecord> {
  for (let attempt = 0; ; attempt += 1) {
    const current = await loadComplaint(deps, complaintId);
    const change = await decide(current);
    if (change === undefined) return current;
    try {
      return await deps.accountability.updateComplaint(current, change.changes, change.event, nowIso(deps));
    } catch (error) {
      if (!(error instanceof VersionConflictError) || attempt >= 4) throw error;
    }
  }
}

/**
 * Files a complaint: checks what it names, runs `admit`, resolves the station (from the linked request, else the one named), stores it
 * ACCEPTED with the access token's hash, starts its workflow. Returns `{ complaintId, accessToken }`.
 *
 * Errors: UnknownReferenceError (400) for a `requestId` or `station` that does not exist, or a body or
 * certificate kind the policy does not know — checked before anything is stored.
 */
export async function fileComplaint(
  deps: Deps,
  body: ComplaintBody,
  /** Runs after the checks, before anything is stored (the HTTP edge's rate limits: a 429 throws). */
  admit: () => Promise<void> = async () => {},
): Promise<{ complaintId: string; accessToken: string }> {
  // 1. What the complaint names must exist.
  let station = body.station;
  let officer = body.officer;
  if (body.requestId !== undefined) {
    const request = await deps.store.getRequest(body.requestId);
    if (!request) throw new UnknownReferenceError('requestId', { zh: '没有这个请求', en: 'no such request' });
    station = request.station ?? station;
    // The officer who reported the linked request's finding, unless the complainant names one.
    if (officer === undefined && request.finding?.by.startsWith('officer:')) officer = request.finding.by;
  }
  const registry = await deps.registry();
  if (body.station !== undefined && !registry.station(body.station))
    throw new UnknownReferenceError('station', { zh: '没有这个派出所', en: 'no such police station' });
  if (body.body !== undefined && !deps.policy.bodies.some((b) => b.code === body.body))
    throw new UnknownReferenceError('body', { zh: '没有这个单位类别', en: 'no such body' });
  if (
    body.certificateKind !== undefined &&
    !deps.policies.some((p) => p.kinds.some((k) => k.code === body.certificateKind))
  )
    throw new UnknownReferenceError('certificateKind', {
      zh: '没有这种证明',
      en: 'no such certificate kind',
    });
  // 2. Admitted (rate limits), then stored.
  await admit();
  const now = deps.clock.now();
  const complaintId = newComplaintId(now, deps.random(16));
  const at = new Date(now).toISOString();
  await deps.accountability.createComplaint({
    complaintId,
    kind: body.kind,
    status: 'ACCEPTED',
    text: body.text,
    ...(body.requestId ? { requestId: body.requestId } : {}),
    ...(station ? { station } : {}),
    ...(officer ? { officer } : {}),
    ...(body.body ? { body: body.body } : {}),
    ...(body.certificateKind ? { certificateKind: body.certificateKind } : {}),
    contact: { name: body.contact.name, phone: body.contact.phone },
    accessTokenHash: sha256Hex(deriveAccessToken(deps.config.tokenSecret, complaintId)),
    acceptedAt: at,
    updatedAt: at,
    executionName: complaintId,
    history: [{ at, type: 'ACCEPTED', actor: 'complainant', detail: { kind: body.kind } }],
  });
  deps.metrics.addMetric('ComplaintAccepted', 'Count', 1);
  deps.logger.info('complaint accepted', { complaintId, kind: body.kind, station });
  // 3. Its workflow (named after it: idempotent). A failed start is not the complainant's problem: the
  //    complaint is stored, and the complaint sweeper starts any left ACCEPTED.
  try {
    await deps.complaintWorkflow.start(complaintId, complaintId);
  } catch (error) {
    deps.logger.warn('could not start the complaint workflow; the sweeper will', {
      complaintId,
      error: (error as Error).name,
    });
  }
  return { complaintId, accessToken: deriveAccessToken(deps.config.tokenSecret, complaintId) };
}

/**
 * Step AssignComplaint: ACCEPTED → ASSIGNED to the supervisor level above the station (level 1: the
 * county bureau), with the policy's deadline. Idempotent: an assigned complaint is returned as it is.
 */
export async function assignComplaint(deps: Deps, complaintId: string) {
  const calendar = await deps.calendar();
  const registry = await deps.registry();
  const c = await changeComplaint(deps, complaintId, (current) => {
    if (current.status !== 'ACCEPTED') return undefined;
    const place = current.station ? registry.station(current.station) : undefined;
    const assignment = assignmentAt(deps.policy.supervisors, 1, place ?? {});
    const due = complaintDeadline(deps.accountabilityPolicy, calendar, { acceptedAt: current.acceptedAt });
    return {
      changes: {
        status: 'ASSIGNED',
        assignment,
        deadline: due.deadline,
        deadlineProvisional: due.provisional,
      },
      event: {
        type: 'ASSIGNED',
        actor: 'system',
        detail: { level: 1, unit: assignment.unit, deadline: due.deadline },
      },
    };
  });
  return stepAnswer(c);
}

/** What a step tells the state machine: wait until `deadline`, apply a pending finding, or done. */
function stepAnswer(c: ComplaintRecord) {
  if (isComplaintFinal(c.status)) return { complaintId: c.complaintId, path: 'DONE' as const };
  if (c.pendingFinding)
    return { complaintId: c.complaintId, path: 'DECIDE' as const, finding: c.pendingFinding };
  return { complaintId: c.complaintId, path: 'WAIT' as const, deadline: c.deadline };
}

/** Step DispatchComplaint (AwaitFinding's callee): keeps the task token on the waiting complaint. */
export async function dispatchComplaint(deps: Deps, complaintId: string, taskToken: string) {
  await changeComplaint(deps, complaintId, (current) =>
    !isComplaintWaiting(current.status) || current.taskToken === taskToken
      ? undefined
      : { changes: { taskToken } },
  );
  return { complaintId };
}

/**
 * Step EscalateComplaint (the wait timed out): past the deadline, the next supervisor level and the next
 * deadline (`escalationIntervalWorkingDays` working days after the missed one); before it, nothing.
 * A pending finding is applied, never escalated past.
 */
export async function escalateComplaint(
  deps: Deps,
  complaintId: string,
): Promise<{ answer: ReturnType<typeof stepAnswer>; escalatedTo?: number }> {
  const calendar = await deps.calendar();
  const registry = await deps.registry();
  let escalatedTo: number | undefined;
  const c = await changeComplaint(deps, complaintId, (current) => {
    if (!isComplaintWaiting(current.status) || current.pendingFinding) return undefined;
    if (current.deadline === undefined || deps.clock.now() < Date.parse(current.deadline)) return undefined;
    const level = (current.assignment?.level ?? 1) + 1;
    const place = current.station ? registry.station(current.station) : undefined;
    const assignment = assignmentAt(deps.policy.supervisors, level, place ?? {});
    const next = complaintDeadline(deps.accountabilityPolicy, calendar, { missedDeadline: current.deadline });
    escalatedTo = level;
    return {
      changes: {
        status: 'ESCALATED',
        assignment,
        deadline: next.deadline,
        deadlineProvisional: next.provisional || current.deadlineProvisional === true,
        taskToken: undefined,
      },
      event: {
        type: 'ESCALATED',
        actor: 'system',
        detail: { level, unit: assignment.unit, missedDeadline: current.deadline, deadline: next.deadline },
      },
    };
  });
  if (escalatedTo !== undefined)
    deps.logger.warn('complaint escalated', { complaintId, level: escalatedTo, station: c.station });
  return { answer: stepAnswer(c), ...(escalatedTo !== undefined ? { escalatedTo } : {}) };
}

/**
 * Step ConcludeComplaint: applies the finding (UPHELD / NOT_UPHELD), then — for UPHELD — the
 * accountability record on the officer or body (idempotent by the complaint id; a retry after the status
 * was written makes it from the stored finding).
 */
export async function concludeComplaint(deps: Deps, complaintId: string, given?: ComplaintFinding) {
  const c = await changeComplaint(deps, complaintId, (current) => {
    if (isComplaintFinal(current.status)) return undefined;
    const finding = given ?? current.pendingFinding;
    if (!finding) return undefined;
    return {
      changes: {
        status: finding.outcome,
        finding,
        finishedAt: nowIso(deps),
        pendingFinding: undefined,
        taskToken: undefined,
      },
      event: {
        type: finding.outcome,
        actor: finding.by,
        detail: { by: finding.by, ...(finding.officer ? { officer: finding.officer } : {}) },
      },
    };
  });
  if (c.finding) {
    const record = accountabilityRecordFor(deps.accountabilityPolicy, c, c.finding);
    if (record) await deps.accountability.putAccountabilityRecord(record);
    deps.metrics.addMetric(`Complaint_${c.finding.outcome}`, 'Count', 1);
  }
  return { complaintId, status: c.status };
}

/**
 * A supervisor's finding on a waiting complaint: stored as its pending finding (event FINDING_RECEIVED),
 * then sent to the waiting task. Errors: ComplaintNotFoundError (404), StateConflictError (409: not
 * waiting, or a finding is already in).
 */
export async function submitComplaintFinding(
  deps: Deps,
  complaintId: string,
  finding: Omit<ComplaintFinding, 'at'>,
): Promise<ComplaintRecord> {
  const full: ComplaintFinding = { ...finding, at: nowIso(deps) };
  const notWaiting = new StateConflictError(`complaint ${complaintId} is not waiting for a finding`, {
    zh: '该投诉当前不在等待处理结论',
    en: 'this complaint is not waiting for a finding',
  });
  // Between two tokens (an escalation re-dispatches): wait briefly for the next one.
  for (let attempt = 0; attempt < 4; attempt += 1) {
    const c = await loadComplaint(deps, complaintId);
    if (!isComplaintWaiting(c.status) || c.pendingFinding) throw notWaiting;
    if (c.taskToken) break;
    await new Promise((r) => setTimeout(r, 150));
  }
  // Whether the last decision (after any re-read on a concurrent change) wrote this finding.
  let written = false;
  const stored = await changeComplaint(deps, complaintId, (current) => {
    written =
      isComplaintWaiting(current.status) && !current.pendingFinding && current.taskToken !== undefined;
    return written
      ? {
          changes: { pendingFinding: full },
          event: { type: 'FINDING_RECEIVED', actor: full.by, detail: { outcome: full.outcome, by: full.by } },
        }
      : undefined;
  });
  if (!written) throw notWaiting;
  let token = stored.taskToken;
  for (let attempt = 0; token !== undefined && attempt < 4; attempt += 1) {
    if ((await deps.complaintWorkflow.sendFinding(token, full)) === 'done') break;
    await new Promise((r) => setTimeout(r, 150));
    const again = await deps.accountability.getComplaint(complaintId);
    token = again?.taskToken !== token ? again?.taskToken : undefined;
  }
  return stored;
}
