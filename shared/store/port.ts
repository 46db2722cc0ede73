/**
 * The store as the use cases see it (a port). `DynamoStore` implements it over one DynamoDB table;
 * tests may pass the same implementation over dynalite. Every status change is one conditional write on
 * the request's version, followed by an idempotent write of its event item.
 */

import type { AbolishedDemandCount } from '#shared/domain/citizen.ts';
import type { RequestEventType, RequestStatus } from '#shared/domain/request.ts';
import type { FinishedFigures } from './counters.ts';
import type {
  AbolishedDemandReportRecord,
  CertificateRecord,
  CitizenRequestLink,
  DeadLetterRecord,
  ExchangeFeedback,
  ExchangeRecord,
  FeedEntry,
  IdempotencyLink,
  OneTimeCodeRecord,
  Page,
  Principal,
  RegistryChangeRecord,
  RegistryCheck,
  RequestEvent,
  RequestRecord,
  SubscriptionRecord,
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
   * Open requests in `status` (not final: RangeError; finished requests are counted, counters.ts), by
   * deadline (or acceptance without one; the attention band first), from `after` (inclusive) up to
   * `before` (ISO times): one page merged across the status index's shards, then the page's items by key.
   */
  listByStatus(
    status: RequestStatus,
    options?: { after?: string; before?: string; limit?: number; cursor?: string },
  ): Promise<Page<RequestRecord>>;
  /**
   * The same page as `listByStatus` but only the index's projection (`StatusEntry`: no personal data, no
   * item read): what counts and deadline checks need.
   */
  listStatusEntries(
    status: RequestStatus,
    options?: { after?: string; before?: string; limit?: number; cursor?: string },
  ): Promise<Page<StatusEntry>>;
  /** Requests in `status`: how many, by outcome, on time and late (see `StatusTally`). */
  countByStatus(status: RequestStatus): Promise<StatusTally>;
  /**
   * Requests that reached the final `status` at or after `since` (ISO time), counted by
   * `dayOf(finishedAt)` and outcome, from the per-hour finished counters (counters.ts), no Scan.
   * `{ [day]: { [outcome]: n } }`.
   */
  countFinishedSince(
    status: RequestStatus,
    since: string,
    dayOf: (finishedAt: string) => string,
  ): Promise<Record<string, Record<string, number>>>;
  /**
   * Requests that reached a final status from `after` to `before` (ISO times, whole UTC hours: the
   * hourly finished counters, counters.ts), by station (count by outcome, on time, late) and by station
   * and officer (the assignee). A handful of small items per day of the range; no request is read.
   */
  finishedFigures(after: string, before: string): Promise<FinishedFigures>;
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
  /**
   * A new request filed where it is found again, in as few calls as the table allows: `putSearchKeys`
   * and, with `applicant`, files it under its applicant (`CITIZEN#{citizenKey}`) and marks the pair
   * known. Idempotent.
   */
  fileRequest(
    requestId: string,
    searchKeys: readonly string[],
    applicant?: { citizenKey: string; link: CitizenRequestLink },
  ): Promise<void>;
  /** The ids of requests filed under `searchKey`, newest first, at most `limit`. */
  findBySearchKey(searchKey: string, options?: { limit?: number }): Promise<string[]>;
  /**
   * 收受分离: notes that the request was filed at `station` (put-if-absent; written before the request,
   * so an entry may point at a request that was never created: readers skip those).
   */
  putAcceptance(entry: AcceptanceEntry): Promise<void>;
  /** The requests filed at a station, newest first (the accepting station's part of its queue). */
  listAccepted(station: string, options?: { limit?: number }): Promise<AcceptanceEntry[]>;

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
  /**
   * Links an intake Idempotency-Key to the request it is about to file, before the request is written:
   * put-if-absent of `link` on `IDEM#{keyHash}` / `LINK`, where a link past its `expiresAt` at `nowSeconds`
   * (epoch seconds, real time) counts as absent, as Powertools treats its own records. `linked` true: `link`
   * was written; false: the key was linked before, and `link` is that first link (its request id, body hash
   * and acceptance time). One conditional PutItem; a GetItem more when the key was linked.
   */
  linkIdempotencyKey(
    link: IdempotencyLink,
    nowSeconds: number,
  ): Promise<{ linked: boolean; link: IdempotencyLink }>;
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

  // --- citizens: the data tracker and lost-link recovery (keys are HMACs: never an ID number or phone) ---
  /** Whether a request was ever filed with this person and phone (GetItem). */
  isCitizenPairKnown(citizenKey: string, phoneKey: string): Promise<boolean>;
  /** The person's requests filed with this phone, newest first, at most `limit` (default 50). */
  listCitizenRequests(
    citizenKey: string,
    phoneKey: string,
    options?: { limit?: number },
  ): Promise<CitizenRequestLink[]>;
  /** Files a copy of an exchange record under a person it is about (the data tracker); idempotent. */
  linkCitizenExchange(citizenKey: string, record: ExchangeRecord): Promise<void>;
  /** The exchange records about a person, newest first, paginated. */
  listCitizenExchanges(
    citizenKey: string,
    options?: { limit?: number; cursor?: string },
  ): Promise<Page<ExchangeRecord>>;
  /** Stores a one-time code for the pair, replacing any earlier one (only the newest code is valid). */
  putOneTimeCode(record: OneTimeCodeRecord): Promise<void>;
  /**
   * Spends the pair's code if `codeHash` is its hash, it is valid at `nowMs`, and fewer than
   * `maxAttempts` wrong codes were tried — one conditional write, so a code is used once. A wrong code
   * counts an attempt. True if the code was good (and is now spent).
   */
  useOneTimeCode(
    citizenKey: string,
    phoneKey: string,
    codeHash: string,
    nowMs: number,
    maxAttempts: number,
  ): Promise<boolean>;

  // --- the abolished-demand tracker (counters moved as requests are declined; no scan) ---
  /**
   * Adds to the counter of `body` and `kind` in `month` (`YYYY-MM`, Beijing) and in the all-time total:
   * `declined` (a request declined as abolished or provable by the booklet) or `upheldComplaints` (an
   * upheld ABOLISHED_DEMAND complaint). One ADD per period.
   */
  countAbolishedDemand(entry: {
    month: string;
    body: string;
    kind: string;
    counter: 'declined' | 'upheldComplaints';
    at: string;
  }): Promise<void>;
  /** The counters of `period` (`YYYY-MM`, or `ALL`): one Query of a partition of bodies × kinds. */
  listAbolishedDemands(period: string): Promise<AbolishedDemandCount[]>;
  /** Stores the month's report if none is stored yet; returns the stored one either way. */
  putAbolishedDemandReport(record: AbolishedDemandReportRecord): Promise<AbolishedDemandReportRecord>;
  getAbolishedDemandReport(month: string): Promise<AbolishedDemandReportRecord | undefined>;
  /** Adds a recipient to the month's report's `sentTo` (idempotent). */
  markAbolishedDemandReportSent(month: string, recipient: string): Promise<void>;
}

/**
 * Periodic exchange, result feedback and registry checks (shared/store/exchange-store.ts). Every read is
 * a key lookup or a Query of one partition, bounded by a limit: the batch reads each subscriber's feed from
 * its cursor; a change finds its subscribers through the per-person index (`WATCH#{sha256(idNumber)}`).
 */
export interface ExchangeFeedStore {
  getSubscription(department: string): Promise<SubscriptionRecord | undefined>;
  /** Creates the subscription, or sets its change types (cursor, counters and people kept). */
  putSubscription(department: string, changeTypes: string[], at: string): Promise<SubscriptionRecord>;
  /** Registers people (by ID number) for `department`; returns how many were new. Idempotent. */
  addPeople(department: string, idNumbers: readonly string[], at: string): Promise<number>;
  /** Removes people; returns how many were registered. Idempotent. */
  removePeople(department: string, idNumbers: readonly string[]): Promise<number>;
  /** Every subscription (one Query of one partition). */
  listSubscriptions(): Promise<SubscriptionRecord[]>;
  /** The departments that registered this person (one Query of the person's partition). */
  subscribersOf(idNumber: string): Promise<string[]>;
  /**
   * Keeps a change if its id is new; returns the stored one either way (`created` false: a replay). The
   * stored change is also filed under its person (idempotent; a replay repairs a crash in between), for
   * `changesOf`.
   */
  putChange(change: RegistryChangeRecord): Promise<{ created: boolean; stored: RegistryChangeRecord }>;
  /**
   * The recorded registry changes of one person (one Query of the person's partition, keyed by the SHA-256
   * of the ID number), oldest effective date first: the overlay on the static registry.
   */
  changesOf(idNumber: string): Promise<RegistryChangeRecord[]>;
  /** Marks the change as fanned out to its subscribers' feeds (a replay then only answers). */
  markFannedOut(changeId: string, at: string, subscribers: number): Promise<void>;
  /** Writes feed entries (idempotent by key: department and position). */
  putFeedEntries(entries: readonly FeedEntry[]): Promise<void>;
  /** A subscriber's feed after `cursor` (exclusive), oldest first, at most `limit`. */
  readFeed(department: string, cursor: string | undefined, limit: number): Promise<FeedEntry[]>;
  /**
   * Moves the subscriber's cursor from `from` to `to` if it is still `from` (one conditional write; false
   * if another run moved it), resetting the attempts and adding to `delivered` or `deadLettered`.
   */
  advanceCursor(
    department: string,
    from: string | undefined,
    to: string,
    outcome: { at: string; batchId: string; delivered?: number; deadLettered?: number },
  ): Promise<boolean>;
  /** Notes the batch about to be sent (ignored if the cursor moved meanwhile). */
  markPending(
    department: string,
    cursor: string | undefined,
    pending: { first: string; at: string },
  ): Promise<void>;
  /** Counts one failed delivery of the batch at `cursor` (ignored if the cursor moved); the new count. */
  recordFailure(department: string, cursor: string | undefined, error: string, at: string): Promise<number>;
  /**
   * Keeps the receiving body's feedback on its exchange record (only that body's: the record's
   * `department`); the first feedback wins: returns the stored one either way, undefined if no such record.
   */
  putFeedback(
    exchangeId: string,
    department: string,
    feedback: ExchangeFeedback,
  ): Promise<ExchangeRecord | undefined>;
  /** Opens a check (put-if-absent by id); returns the stored one. */
  putCheck(check: RegistryCheck): Promise<RegistryCheck>;
  /** A station's open checks, oldest first. */
  listStationChecks(station: string, options?: { limit?: number }): Promise<RegistryCheck[]>;
}

/** A request filed at one station (收受分离); the competent station handles it. */
export interface AcceptanceEntry {
  requestId: string;
  station: string;
  acceptedAt: string;
}

/** A request's entry in the status index (its projection: keys.ts / table-definition.ts). */
export interface StatusEntry {
  requestId: string;
  status: RequestStatus;
  station?: string;
  deadline?: string;
  acceptedAt: string;
  updatedAt: string;
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
