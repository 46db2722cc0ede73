/**
 * What the store keeps, as TypeScript types. These are the records of the single table (see README.md in
 * this folder for the keys); the use cases work with these types only and never see a DynamoDB key.
 */
export type {
  CertificateRef,
  FindingRecord,
  RequestEvent,
  RequestRecord,
} from '#shared/domain/request.ts';

import type { Bilingual } from '#shared/domain/types.ts';

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
  /** `WRITTEN_REPLY` for a 书面告知 (verified the same way); absent: a certificate. */
  document?: 'CERTIFICATE' | 'WRITTEN_REPLY';
  title?: Bilingual;
  /** The statement with names and ID numbers masked: what `/verify` shows the public. */
  publicStatement?: Bilingual;
  /** Last valid day (Beijing, `YYYY-MM-DD`) for kinds with a validity. */
  validUntil?: string;
}

export interface ExchangeRecord {
  exchangeId: string;
  department: string;
  /**
   * `REQUEST` (answered instead of a certificate), `QUERY` (ad-hoc verification, directly or level by
   * level) or `SUBSCRIPTION` (a registry change delivered by periodic exchange).
   */
  origin: 'REQUEST' | 'QUERY' | 'SUBSCRIPTION';
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
  /** The rule it was answered under (result feedback: the rule check's rule 5 id). */
  ruleId?: string;
  /** The subject's registration station (the one a disputed answer is checked by), where known. */
  station?: string;
  /** Level-by-level docking (逐级对接): the organs the query went through, there and back. */
  route?: DockingRoute;
  /** Result feedback (结果反馈) of the body that received it: accepted, or disputed with a reason. */
  feedback?: ExchangeFeedback;
}

/** One hop of a level-by-level query between police organs (shared/domain/docking.ts). */
export interface DockingHop {
  from: string;
  to: string;
  direction: 'UP' | 'DOWN';
  leg: 'QUERY' | 'ANSWER';
  at: string;
}

export interface DockingRoute {
  /** The organ the asking body docks with (its own level and region). */
  askedAt: string;
  /** The organ at the asker's level whose region covers the subject. */
  answeredBy: string;
  /** The lowest level whose organ covers both the asker and the subject. */
  commonLevel: 'PROVINCE' | 'CITY' | 'COUNTY';
  hops: DockingHop[];
}

export interface ExchangeFeedback {
  outcome: 'ACCEPTED' | 'DISPUTED';
  reason?: string;
  at: string;
  /** The check a dispute opened at the station (`chk_{exchangeId}`). */
  checkId?: string;
}

/** A check a disputed exchange answer opens at the subject's registration station (its queue shows it). */
export interface RegistryCheck {
  checkId: string;
  exchangeId: string;
  station: string;
  department: string;
  question: string;
  /** Masked, as on the exchange record. */
  subject: Record<string, unknown>;
  reason: string;
  openedAt: string;
  status: 'OPEN';
}

/** Periodic exchange (定期交换): one connected body's subscription to registry changes. */
export interface SubscriptionRecord {
  department: string;
  changeTypes: string[];
  /** How many people the body registered (its caseload by ID number; never a bulk copy of the registry). */
  people: number;
  createdAt: string;
  updatedAt: string;
  /** The last acknowledged feed position (`{recordedAt}#{changeId}`); absent: nothing acknowledged yet. */
  cursor?: string;
  lastAcknowledgedAt?: string;
  lastBatchId?: string;
  /**
   * The batch being delivered: its first feed position and when it was first sent (its records'
   * `answeredAt`, so a re-delivery after a crash writes the very same items and index entries).
   */
  pendingBatch?: { first: string; at: string };
  /** Failed deliveries of the pending batch (reset when acknowledged or dead-lettered). */
  attempts: number;
  lastError?: string;
  /** Changes delivered and acknowledged / dead-lettered, in total. */
  delivered: number;
  deadLettered: number;
}

/** One registry change as the registry's change feed reported it (POST /v1/registry/changes). */
export interface RegistryChangeRecord {
  changeId: string;
  type: string;
  idNumber: string;
  name?: string;
  /** Beijing date the change took effect (`YYYY-MM-DD`). */
  effectiveOn: string;
  /** The registration station that recorded it. */
  station: string;
  details: Record<string, unknown>;
  recordedAt: string;
  recordedBy: string;
  /** When the change was put in its subscribers' feeds (absent: not yet, or a crash came between). */
  fannedOutAt?: string;
  subscribers?: number;
}

/** A change queued for one subscriber: its feed, read from the cursor on (`position` orders it). */
export interface FeedEntry extends Omit<RegistryChangeRecord, 'fannedOutAt' | 'subscribers'> {
  department: string;
  position: string;
}

export interface Principal {
  /** `REGISTRY`: the population registry's own system (its change feed). */
  role: 'OFFICER' | 'SUPERVISOR' | 'DEPARTMENT' | 'REGISTRY';
  name: string;
  /** Stations this principal acts for; `*` = all. */
  stations: string[];
  department?: string;
}

/**
 * An intake `Idempotency-Key`'s link to the request it files (functions/http/intake.ts), written before the
 * request so that a retry after a crash between the two finds the same request id; item `IDEM#{keyHash}` /
 * `LINK` beside Powertools' idempotency records (shared/store/idempotency.ts).
 */
export interface IdempotencyLink {
  /** SHA-256 (hex) of the Idempotency-Key header; the key itself is never stored. */
  keyHash: string;
  /** The request filed under the key (`newRequestId`). */
  requestId: string;
  /** SHA-256 (hex) of the validated body as JSON: a retry must send the same body (else 422). */
  bodyHash: string;
  /** When the key first filed its request (ISO time, the stack's clock): the request's `acceptedAt`. */
  acceptedAt: string;
  /** Epoch seconds of real time (the table's TTL), 24 h on, as Powertools' records (`IDEMPOTENCY_TTL_SECONDS`). */
  expiresAt: number;
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

/**
 * A request as its applicant finds it again (lost-link recovery): kept under the applicant's
 * `citizenKey` with the `phoneKey` given at intake (both HMACs, never the ID number or phone in clear).
 */
export interface CitizenRequestLink {
  requestId: string;
  proof: string;
  acceptedAt: string;
  phoneKey: string;
}

/** A one-time code for a person and phone (citizen sign-in): only its HMAC is stored. */
export interface OneTimeCodeRecord {
  citizenKey: string;
  phoneKey: string;
  codeHash: string;
  /** When the code stops being valid (epoch ms). */
  validUntil: number;
  attempts: number;
  sentAt: string;
}

/** A monthly abolished-demand report as produced and sent (`REPORT#ABOLISHED#{month}`). */
export interface AbolishedDemandReportRecord {
  month: string;
  producedAt: string;
  report: Record<string, unknown>;
  /** SHA-256 (hex) of the report's JSON: what each signed delivery carried. */
  digest: string;
  /** Who it went to: department codes (signed webhooks) and `SUPERVISORS`. */
  sentTo: string[];
}
