/**
 * The store as the use cases see it (a port). `DynamoStore` implements it over one DynamoDB table;
 * tests may pass the same implementation over dynalite. Every status change is one conditional write on
 * the request's version, followed by an idempotent write of its event item.
 */
import type { RequestEventType, RequestStatus } from '#shared/domain/request.ts';
import type {
  CertificateRecord,
  DeadLetterRecord,
  ExchangeRecord,
  Page,
  Principal,
  RequestEvent,
  RequestRecord,
  WebhookRecord,
} from './model.ts';

export interface NewEvent {
  type: RequestEventType;
  actor: string;
  detail?: Record<string, unknown>;
}

export interface CertflowStore {
  // --- requests and their audit trail ---
  /** Creates the request (version 1) if no request has this id; returns false if one exists. */
  createRequest(record: Omit<RequestRecord, 'version' | 'lastEvent'>, event: NewEvent): Promise<boolean>;
  getRequest(requestId: string): Promise<RequestRecord | undefined>;
  /** The request and its whole audit trail (oldest first) in one query. */
  getRequestWithHistory(
    requestId: string,
  ): Promise<{ request: RequestRecord; history: RequestEvent[] } | undefined>;
  /**
   * Writes `next` (version `current.version + 1`, carrying `event`) if the stored version is still
   * `current.version` and the status still `current.status` — one conditional write — and, alongside,
   * the event item of `current`'s version (idempotent). The newest event is read from the request item
   * until the next change writes its item. Throws VersionConflictError.
   */
  updateRequest(
    current: RequestRecord,
    changes: Partial<RequestRecord>,
    event: NewEvent,
    at: string,
  ): Promise<RequestRecord>;
  /** Writes the event item of the request's latest version if not yet written (idempotent). */
  ensureLastEvent(request: RequestRecord): Promise<void>;
  /**
   * Requests in `status`, by deadline (or acceptance for open statuses without one, `finishedAt` for
   * final ones), from `after` (inclusive) up to `before` (ISO times). One Query of byStatusDeadline.
   */
  listByStatus(
    status: RequestStatus,
    options?: { after?: string; before?: string; limit?: number; cursor?: string },
  ): Promise<Page<RequestRecord>>;
  /** Requests in `status`: how many, by outcome, on time and late (see `StatusTally`). */
  countByStatus(status: RequestStatus): Promise<StatusTally>;
  /**
   * Requests that reached the final `status` at or after `since` (ISO time), counted by
   * `dayOf(finishedAt)` and outcome: one Query of byStatusDeadline from `since` (final statuses sort
   * by finishedAt), no Scan. `{ [day]: { [outcome]: n } }`.
   */
  countFinishedSince(
    status: RequestStatus,
    since: string,
    dayOf: (finishedAt: string) => string,
  ): Promise<Record<string, Record<string, number>>>;
  /** Open requests of a station (INVESTIGATING, ESCALATED), by deadline. */
  listStationQueue(
    station: string,
    options?: { limit?: number; cursor?: string },
  ): Promise<Page<RequestRecord>>;

  /** Finished requests of a station (the console's "done" list), newest first. */
  listStationDone(
    station: string,
    options?: { limit?: number; cursor?: string },
  ): Promise<Page<RequestRecord>>;
  /**
   * Files a request under search keys (keyed hashes of its ID numbers and names, its short reference:
   * functions/use-cases/search.ts), idempotent. Lookup items by key, never a Scan.
   */
  putSearchKeys(requestId: string, searchKeys: readonly string[]): Promise<void>;
  /** The ids of requests filed under `searchKey`, newest first, at most `limit`. */
  findBySearchKey(searchKey: string, options?: { limit?: number }): Promise<string[]>;

  // --- certificates ---
  /** Creates the certificate if its number is new; returns the stored one either way. */
  putCertificate(certificate: CertificateRecord): Promise<CertificateRecord>;
  getCertificate(number: string): Promise<CertificateRecord | undefined>;

  // --- exchange records ---
  putExchangeRecord(record: ExchangeRecord): Promise<ExchangeRecord>;
  getExchangeRecord(exchangeId: string): Promise<ExchangeRecord | undefined>;
  listExchangeRecords(
    department: string,
    options?: { limit?: number; cursor?: string },
  ): Promise<Page<ExchangeRecord>>;

  // --- edge: webhooks, rate limits (request idempotency: shared/store/idempotency.ts) ---
  claimWebhook(
    department: string,
    webhookId: string,
    at: string,
    expiresAt: number,
  ): Promise<{ claimed: true } | { claimed: false; existing: WebhookRecord }>;
  completeWebhook(
    department: string,
    webhookId: string,
    response: { statusCode: number; body: unknown },
    at: string,
    expiresAt: number,
  ): Promise<void>;
  releaseWebhook(department: string, webhookId: string): Promise<void>;
  /** Counts one hit in the window; false if the limit is reached (nothing counted then). */
  hitRateLimit(clientKey: string, windowStart: number, limit: number, expiresAt: number): Promise<boolean>;

  // --- configuration kept in the table ---
  putPrincipal(tokenHash: string, principal: Principal): Promise<void>;
  getPrincipal(tokenHash: string): Promise<Principal | undefined>;

  // --- outgoing deliveries that kept failing ---
  putDeadLetter(record: DeadLetterRecord): Promise<void>;
  listDeadLetters(department: string, options?: { limit?: number }): Promise<DeadLetterRecord[]>;
}

/** What `countByStatus` answers: how many requests, by outcome (`NONE` without one), on time and late. */
export interface StatusTally {
  count: number;
  byOutcome: Record<string, number>;
  onTime: number;
  late: number;
}

/** An empty tally, to add requests to with `tallyStatus`. */
export function emptyStatusTally(): StatusTally {
  return { count: 0, byOutcome: {}, onTime: 0, late: 0 };
}

/** Adds one request (its outcome and on-time flag, as stored) to `tally`; the one rule both stores count by. */
export function tallyStatus(tally: StatusTally, item: { outcome?: unknown; onTime?: unknown }): void {
  tally.count += 1;
  const outcome = typeof item.outcome === 'string' ? item.outcome : 'NONE';
  tally.byOutcome[outcome] = (tally.byOutcome[outcome] ?? 0) + 1;
  if (item.onTime === true) tally.onTime += 1;
  if (item.onTime === false) tally.late += 1;
}

/** Adds one finished request to `days` under `day` and its outcome (`countFinishedSince`'s answer). */
export function tallyFinished(
  days: Record<string, Record<string, number>>,
  day: string,
  outcome: unknown,
): void {
  const key = typeof outcome === 'string' ? outcome : 'NONE';
  const counts = days[day] ?? {};
  days[day] = counts;
  counts[key] = (counts[key] ?? 0) + 1;
}
