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
  /** The rule it was answered under (result feedback: the rule check's rule 5 id). */
  ruleId?: string;
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
