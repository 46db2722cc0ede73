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
