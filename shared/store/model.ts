/**
 * What the store keeps, as TypeScript types. These are the records of the single table (see README.md in
 * this folder for the keys); the use cases work with these types only and never see a DynamoDB key.
 */
import type { Decision, RequestStatus } from '#shared/domain/types.ts';

/** One entry of a request's audit trail. `seq` is the request version the event produced. */
export interface RequestEvent {
  seq: number;
  at: string;
  type: string;
  /** Who caused it: `applicant`, `system`, `officer:…`, `supervisor:…`, `department:NOTARY`. */
  actor: string;
  detail: Record<string, unknown>;
}

export interface CertificateRef {
  number: string;
  issuedAt: string;
  issuedBy: string;
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
  input: Record<string, unknown>;
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
  certificate?: CertificateRef;
  finding?: FindingRecord;
  finishedAt?: string;
  /** For requests that had a deadline: decided before it. */
  onTime?: boolean;
  /** The event this version produced; also kept as an event item (the follow-up write). */
  lastEvent: RequestEvent;
}

export interface CertificateRecord {
  number: string;
  requestId: string;
  kind: string;
  issuedAt: string;
  issuedBy: string;
  subjectName: string;
  /** SHA-256 (hex) of the verification code; the code itself is never stored. */
  codeHash: string;
  status: 'VALID' | 'REVOKED';
  facts?: Record<string, unknown>;
}

export interface ExchangeRecord {
  exchangeId: string;
  department: string;
  /** `REQUEST` (answered instead of a certificate) or `QUERY` (ad-hoc verification). */
  origin: 'REQUEST' | 'QUERY';
  mechanism: 'RESULT_FEEDBACK' | 'AD_HOC_VERIFICATION' | 'PERIODIC_EXCHANGE' | 'LEVEL_BY_LEVEL';
  question: string;
  /** Masked subject (name and ID number masked). */
  subject: Record<string, unknown>;
  answer: Record<string, unknown>;
  source: string;
  answeredAt: string;
  requestId?: string;
  purpose?: string;
  reference?: string;
}

export interface Principal {
  role: 'OFFICER' | 'SUPERVISOR' | 'DEPARTMENT';
  name: string;
  /** Stations this principal acts for; `*` = all. */
  stations: string[];
  department?: string;
}

export interface WebhookRecord {
  department: string;
  webhookId: string;
  state: 'PROCESSING' | 'DONE';
  response?: { statusCode: number; body: unknown };
  at: string;
}

export interface DeadLetterRecord {
  messageId: string;
  department: string;
  type: string;
  requestId?: string;
  attempts: number;
  lastError: string;
  at: string;
  payload: unknown;
}

export interface Page<T> {
  items: T[];
  cursor?: string;
}
