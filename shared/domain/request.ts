/**
 * The certificate request: its statuses, the forward-only rule between them, the audit event types, the
 * on-time rule and the masked views of what the citizen filed. One home for the request's lifecycle;
 * the store (shared/store) keeps `RequestRecord`s, the use cases (functions/) change them through these.
 * Pure: no clock, no I/O.
 */
import { maskIdNumber, maskName } from '#shared/domain/id-number.ts';
import type { Bilingual, Decision, Outcome } from '#shared/domain/types.ts';
import type { IntakeRequest } from '#shared/schemas/intake.ts';

export const REQUEST_STATUSES = [
  'RECEIVED',
  'CHECKING',
  'DECLINED',
  'ANSWERED_BY_EXCHANGE',
  'INVESTIGATING',
  'ESCALATED',
  'ISSUED',
  'REFUSED',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** Statuses from which a request never moves. */
export const FINAL_STATUSES: readonly RequestStatus[] = [
  'DECLINED',
  'ANSWERED_BY_EXCHANGE',
  'ISSUED',
  'REFUSED',
];

/** Statuses of a request waiting for an investigation finding (a station's queue, the sweeper's walk). */
export const OPEN_STATUSES = ['INVESTIGATING', 'ESCALATED'] as const satisfies readonly RequestStatus[];
export type OpenStatus = (typeof OPEN_STATUSES)[number];

/** True for DECLINED, ANSWERED_BY_EXCHANGE, ISSUED and REFUSED. */
export function isFinal(status: RequestStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

/** True for INVESTIGATING and ESCALATED: the request waits for a finding. */
export function isOpen(status: RequestStatus): status is OpenStatus {
  return (OPEN_STATUSES as readonly RequestStatus[]).includes(status);
}

/** Statuses only move forward: RECEIVED → CHECKING → INVESTIGATING → ESCALATED → a final status. */
const STATUS_RANK: Record<RequestStatus, number> = {
  RECEIVED: 0,
  CHECKING: 1,
  INVESTIGATING: 2,
  ESCALATED: 3,
  DECLINED: 4,
  ANSWERED_BY_EXCHANGE: 4,
  ISSUED: 4,
  REFUSED: 4,
};

/** May a request in `from` be written with status `to`? (The same status is allowed: a version bump.) */
export function isForward(from: RequestStatus, to: RequestStatus): boolean {
  if (isFinal(from)) return from === to;
  return STATUS_RANK[to] >= STATUS_RANK[from];
}

/**
 * The request status a fresh decision leads to. `COMMITMENT_ACCEPTED` ends the request without a
 * certificate (status `DECLINED`: nothing is issued; the decision carries the commitment record).
 */
export function statusForOutcome(outcome: Outcome): RequestStatus {
  switch (outcome) {
    case 'DECLINED_PROVABLE_BY_HUKOU':
    case 'DECLINED_NO_LEGAL_BASIS':
    case 'DECLINED_NOT_POLICE_INFORMATION':
    case 'DECLINED_APPLICANT_NOT_ENTITLED':
    case 'COMMITMENT_ACCEPTED':
      return 'DECLINED';
    case 'ANSWERED_BY_EXCHANGE':
      return 'ANSWERED_BY_EXCHANGE';
    case 'ISSUE_ON_THE_SPOT':
      return 'ISSUED';
    case 'INVESTIGATE':
      return 'INVESTIGATING';
  }
}

/** The audit event types, in the order a request usually meets them. */
export const REQUEST_EVENT_TYPES = [
  'RECEIVED',
  /** Decided ISSUE_ON_THE_SPOT (the request stays CHECKING until issued). */
  'DECIDED',
  'DECLINED',
  'ANSWERED_BY_EXCHANGE',
  'INVESTIGATING',
  'DISPATCHED',
  'REDISPATCHED',
  'WARNED',
  /** A finding answered 202: stored on the request before the workflow is told (`pendingFinding`). */
  'FINDING_RECEIVED',
  'ESCALATED',
  /** A workflow step failed after its retries; RecoverWorkflow resumes from the stored state. */
  'WORKFLOW_STEP_FAILED',
  'WORKFLOW_RESTARTED',
  'DELIVERED',
  'DELIVERY_FAILED',
  'ISSUED',
  'REFUSED',
  /** An officer claimed the request, or was assigned it (`detail.assignee`, `detail.previous`). */
  'ASSIGNED',
  /** The investigating officer saw full ID numbers and registry records (`detail.reason`, `detail.people`). */
  'PERSONAL_DATA_REVEALED',
] as const;
export type RequestEventType = (typeof REQUEST_EVENT_TYPES)[number];

/** One entry of a request's audit trail. `seq` is the request version the event produced. */
export interface RequestEvent {
  seq: number;
  at: string;
  type: RequestEventType;
  /** Who caused it: `applicant`, `system`, `officer:…`, `supervisor:…`, `department:NOTARY`. */
  actor: string;
  detail: Record<string, unknown>;
}

/** A printed document of a request (certificate or written reply): its number and full text. */
export interface CertificateRef {
  number: string;
  issuedAt: string;
  issuedBy: string;
  /** The full certified text in the kind's uniform form (`shared/domain/documents.ts`); holds ID numbers. */
  statement?: Bilingual;
  title?: Bilingual;
}

export interface FindingRecord {
  outcome: 'CONFIRMED' | 'REFUTED';
  by: string;
  at: string;
  note?: string;
  facts?: Record<string, unknown>;
}

/**
 * A certificate request as stored. `input` is the validated intake body (it holds ID numbers: it is
 * never logged). `version` grows by one with every event; every change is a conditional write on it.
 */
export interface RequestRecord {
  requestId: string;
  version: number;
  status: RequestStatus;
  proof: string;
  input: IntakeRequest;
  accessTokenHash: string;
  acceptedAt: string;
  updatedAt: string;
  escalationLevel: number;
  decision?: Decision;
  outcome?: string;
  station?: string;
  deadline?: string;
  warnAt?: string;
  deadlineProvisional?: boolean;
  /** The deadline for which the station was last warned (one warning per deadline). */
  warnedFor?: string;
  /** Task token of the waiting investigation (only while INVESTIGATING / ESCALATED). */
  taskToken?: string;
  /** Name of the Step Functions execution that carries the request. */
  executionName?: string;
  /** How many times the sweeper restarted a lost workflow. */
  repairs?: number;
  /** Failed workflow steps recovered (RecoverWorkflow) since the last restart; past 3 the execution fails. */
  recoveries?: number;
  /** The officer (username) working the investigation: claimed or assigned in the console. */
  assignee?: string;
  /** Connected departments the investigation was dispatched to: only they may report its finding. */
  dispatchedTo?: string[];
  certificate?: CertificateRef;
  /** The written reply (书面告知) of a decline or a refusal. */
  writtenReply?: CertificateRef;
  /**
   * A finding answered 202 and not yet applied: stored before the workflow is told, so a failed or lost
   * workflow still applies it (CheckRules / Escalate / RecoverWorkflow route to Decide). Only one.
   */
  pendingFinding?: FindingRecord;
  finding?: FindingRecord;
  finishedAt?: string;
  /** For requests that had a deadline: decided before it. */
  onTime?: boolean;
  /** The event this version produced; also kept as an event item (the follow-up write). */
  lastEvent: RequestEvent;
}

/**
 * Was a request finished at `at` (ISO) on time? Undefined for a request without a deadline; otherwise
 * true when it was never escalated and `at` is not after the deadline.
 */
export function onTime(
  request: Pick<RequestRecord, 'deadline' | 'escalationLevel'>,
  at: string,
): boolean | undefined {
  if (request.deadline === undefined) return undefined;
  return request.escalationLevel === 0 && at <= request.deadline;
}

/** A change would move a request's status backwards (or out of a final status). */
export class StatusRegressionError extends Error {
  override name = 'StatusRegressionError';
}

/**
 * The request after one change: `changes` over `current` (a key set to undefined is removed), the next
 * version, `updatedAt` = `at` (ISO time), the event as `lastEvent` (seq = the new version); a final status
 * sets `finishedAt` (once) and drops the task token and any pending finding. Throws `StatusRegressionError` when the status would
 * move backwards (`isForward`). Every store writes exactly this record.
 */
export function nextRequest(
  current: RequestRecord,
  changes: Partial<RequestRecord>,
  event: { type: RequestEventType; actor: string; detail?: Record<string, unknown> },
  at: string,
): RequestRecord {
  if (changes.status !== undefined && !isForward(current.status, changes.status)) {
    throw new StatusRegressionError(
      `request ${current.requestId}: ${current.status} may not become ${changes.status}`,
    );
  }
  const version = current.version + 1;
  const next: RequestRecord = {
    ...current,
    ...changes,
    requestId: current.requestId,
    version,
    updatedAt: at,
    lastEvent: { seq: version, at, type: event.type, actor: event.actor, detail: event.detail ?? {} },
  };
  if (isFinal(next.status)) {
    next.finishedAt ??= at;
    delete next.taskToken;
    delete next.pendingFinding;
  }
  for (const [k, v] of Object.entries(changes))
    if (v === undefined) delete (next as unknown as Record<string, unknown>)[k];
  return next;
}

/** The subject as departments and exchange records see it: name and ID number masked. */
export function maskedSubject(input: Pick<IntakeRequest, 'subject'>): { name: string; idNumber: string } {
  return { name: maskName(input.subject.name), idNumber: maskIdNumber(input.subject.idNumber) };
}

/** The short reference of a request (its last 8 characters): SMS messages and the console name it so. */
export function requestReference(requestId: string): string {
  return requestId.slice(-8).toUpperCase();
}

const FILED_FIELDS = [
  'subject',
  'relatedPerson',
  'event',
  'applicant',
  'purpose',
  'askedBy',
  'askedByName',
] as const;

/** The facts as filed, for staff: the intake fields the console shows, every `idNumber` masked. */
export function filedFacts(input: IntakeRequest | Record<string, unknown>): Record<string, unknown> {
  const filed = input as Record<string, unknown>;
  const masked = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(masked);
    if (!value || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, v]) => [
        key,
        key === 'idNumber' && typeof v === 'string' ? maskIdNumber(v) : masked(v),
      ]),
    );
  };
  return Object.fromEntries(
    FILED_FIELDS.filter((key) => filed[key] !== undefined).map((key) => [key, masked(filed[key])]),
  );
}
