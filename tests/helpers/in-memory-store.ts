/**
 * An in-memory double of the store port (`CertflowStore`, shared/store/port.ts) for handler unit tests:
 * the same rules as `DynamoStore` — version-checked request writes (`VersionConflictError`), forward-only
 * statuses (`StatusRegressionError`), one event per version, first writer wins for certificates and
 * webhook ids — so a test asserts what was stored, not which DynamoDB command was
 * sent. `DynamoStore` itself is tested against dynalite and with aws-sdk-client-mock (throttling,
 * conditional failures); the use cases run against both somewhere in the suite.
 */

import type { AbolishedDemandCount } from '#shared/domain/citizen.ts';
import { isFinal, isOpen, nextRequest, type RequestStatus } from '#shared/domain/request.ts';
import { addFinishedItem, type FinishedFigures, finishedDelta } from '#shared/store/counters.ts';
import { VersionConflictError } from '#shared/store/errors.ts';
import { statusOrder } from '#shared/store/keys.ts';
import type {
  AbolishedDemandReportRecord,
  CertificateRecord,
  CitizenRequestLink,
  DeadLetterRecord,
  ExchangeRecord,
  IdempotencyLink,
  OneTimeCodeRecord,
  Page,
  Principal,
  RequestEvent,
  RequestRecord,
  WebhookRecord,
} from '#shared/store/model.ts';
import {
  type AcceptanceEntry,
  type CertflowStore,
  emptyStatusTally,
  type NewEvent,
  type StatusEntry,
  type StatusTally,
  tallyFinished,
  tallyStatus,
} from '#shared/store/port.ts';

const clone = <T>(value: T): T => structuredClone(value);

/** Items after `cursor` (an offset), `limit` of them, and the next cursor if more are left. */
function page<T>(items: T[], limit: number, cursor?: string): Page<T> {
  const from = cursor === undefined ? 0 : Number(cursor);
  const slice = items.slice(from, from + limit);
  return from + limit < items.length ? { items: slice, cursor: String(from + limit) } : { items: slice };
}

/** Where a request sorts in its status (DynamoStore's byOpenStatus index: the same keys). */
function order(r: RequestRecord): string {
  return `${statusOrder(r)}#${r.requestId}`;
}

export class InMemoryStore implements CertflowStore {
  /** Stored requests by id (read them in assertions: `store.requests.get('R1')`). */
  readonly requests = new Map<string, RequestRecord>();
  /** Event items by request id, by seq (the latest version's event lives on the request until the next). */
  readonly events = new Map<string, Map<number, RequestEvent>>();
  readonly certificates = new Map<string, CertificateRecord>();
  readonly acceptances = new Map<string, AcceptanceEntry>();
  readonly exchangeRecords = new Map<string, ExchangeRecord>();
  readonly webhooks = new Map<string, WebhookRecord>();
  /** Intake's Idempotency-Key links by key hash. */
  readonly idempotencyLinks = new Map<string, IdempotencyLink>();
  readonly rateLimits = new Map<string, number>();
  readonly principals = new Map<string, Principal>();
  readonly deadLetters = new Map<string, DeadLetterRecord>();

  /** Puts a request as it would be stored (test setup), replacing any of the same id. */
  seed(record: RequestRecord): this {
    this.requests.set(record.requestId, clone(record));
    return this;
  }

  async createRequest(
    record: Omit<RequestRecord, 'version' | 'lastEvent'>,
    event: NewEvent,
  ): Promise<boolean> {
    if (this.requests.has(record.requestId)) return false;
    const lastEvent = { seq: 1, at: record.acceptedAt, ...event, detail: event.detail ?? {} };
    this.requests.set(record.requestId, clone({ ...record, version: 1, lastEvent }));
    return true;
  }

  async getRequest(requestId: string): Promise<RequestRecord | undefined> {
    const r = this.requests.get(requestId);
    return r && clone(r);
  }

  async getRequestWithHistory(
    requestId: string,
  ): Promise<{ request: RequestRecord; history: RequestEvent[] } | undefined> {
    const request = await this.getRequest(requestId);
    if (!request) return undefined;
    const byseq = new Map(this.events.get(requestId));
    if (!byseq.has(request.lastEvent.seq)) byseq.set(request.lastEvent.seq, request.lastEvent);
    return { request, history: clone([...byseq.values()].sort((a, b) => a.seq - b.seq)) };
  }

  async updateRequest(
    current: RequestRecord,
    changes: Partial<RequestRecord>,
    event: NewEvent,
    at: string,
  ): Promise<RequestRecord> {
    const next = nextRequest(current, changes, event, at);
    await this.ensureLastEvent(current);
    // Read, checked and written with no await between: atomic, as DynamoDB's conditional write.
    const stored = this.requests.get(current.requestId);
    if (stored?.version !== current.version || stored.status !== current.status) {
      throw new VersionConflictError(`request ${current.requestId} v${current.version}`);
    }
    this.requests.set(current.requestId, clone(next));
    // As DynamoStore: the record it wrote, the caller's objects in it (not a copy).
    return next;
  }

  async ensureLastEvent(request: RequestRecord): Promise<void> {
    const events = this.events.get(request.requestId) ?? new Map<number, RequestEvent>();
    this.events.set(request.requestId, events);
    if (!events.has(request.lastEvent.seq)) events.set(request.lastEvent.seq, clone(request.lastEvent));
  }

  #inStatus(status: RequestStatus): RequestRecord[] {
    return [...this.requests.values()]
      .filter((r) => r.status === status)
      .sort((a, b) => order(a).localeCompare(order(b)));
  }

  async listByStatus(
    status: RequestStatus,
    options: { after?: string; before?: string; limit?: number; cursor?: string } = {},
  ): Promise<Page<RequestRecord>> {
    if (isFinal(status))
      throw new RangeError(`${status} is final: the status index holds only open requests`);
    const { after, before: b } = options;
    const before = b === undefined ? undefined : `${b}#~`;
    const items = (
      before === undefined
        ? this.#inStatus(status)
        : [...this.requests.values()].filter((r) => r.status === status && order(r) <= before)
    )
      .filter((r) => after === undefined || order(r) >= after)
      .sort((a, b) => order(a).localeCompare(order(b)));
    return page(clone(items), options.limit ?? 100, options.cursor);
  }

  async listStatusEntries(
    status: RequestStatus,
    options: { after?: string; before?: string; limit?: number; cursor?: string } = {},
  ): Promise<Page<StatusEntry>> {
    const page = await this.listByStatus(status, options);
    return {
      items: page.items.map(({ requestId, status: s, station, deadline, acceptedAt, updatedAt }) => ({
        requestId,
        status: s,
        ...(station !== undefined ? { station } : {}),
        ...(deadline !== undefined ? { deadline } : {}),
        acceptedAt,
        updatedAt,
      })),
      ...(page.cursor ? { cursor: page.cursor } : {}),
    };
  }

  /** As DynamoStore's hourly counters: each finished request's `finishedDelta`, hours from `after` to `before`. */
  async finishedFigures(after: string, before: string): Promise<FinishedFigures> {
    const figures: FinishedFigures = { stations: {}, officers: {} };
    for (const r of this.requests.values()) {
      const delta = finishedDelta(undefined, r);
      if (delta && delta.hour >= after.slice(0, 13) && delta.hour <= before.slice(0, 13))
        addFinishedItem(figures, delta.add);
    }
    return figures;
  }

  async countByStatus(status: RequestStatus): Promise<StatusTally> {
    const result = emptyStatusTally();
    for (const r of this.#inStatus(status)) tallyStatus(result, r);
    return result;
  }

  async countFinishedSince(
    status: RequestStatus,
    since: string,
    dayOf: (finishedAt: string) => string,
  ): Promise<Record<string, Record<string, number>>> {
    if (!isFinal(status)) throw new RangeError(`${status} is not a final status`);
    const days: Record<string, Record<string, number>> = {};
    for (const r of this.#inStatus(status).filter((x) => order(x) >= since)) {
      tallyFinished(days, dayOf(r.finishedAt ?? r.updatedAt), r.outcome);
    }
    return days;
  }

  async listStationQueue(
    station: string,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<Page<RequestRecord>> {
    const items = [...this.requests.values()]
      .filter((r) => isOpen(r.status) && r.station === station && r.deadline !== undefined)
      .sort((a, b) => `${a.deadline}#${a.requestId}`.localeCompare(`${b.deadline}#${b.requestId}`));
    return page(clone(items), options.limit ?? 50, options.cursor);
  }

  async listStationDone(
    station: string,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<Page<RequestRecord>> {
    const items = [...this.requests.values()]
      .filter((r) => isFinal(r.status) && r.station === station)
      .sort((a, b) => order(b).localeCompare(order(a)));
    return page(clone(items), options.limit ?? 50, options.cursor);
  }

  /** Search lookup items: key → request ids. */
  readonly searchKeys = new Map<string, Set<string>>();

  async putSearchKeys(requestId: string, searchKeys: readonly string[]): Promise<void> {
    for (const key of searchKeys) {
      const ids = this.searchKeys.get(key) ?? new Set<string>();
      ids.add(requestId);
      this.searchKeys.set(key, ids);
    }
  }

  async fileRequest(
    requestId: string,
    searchKeys: readonly string[],
    applicant?: { citizenKey: string; link: CitizenRequestLink },
  ): Promise<void> {
    await this.putSearchKeys(requestId, searchKeys);
    if (!applicant) return;
    const { citizenKey: citizen, link } = applicant;
    const links = this.citizenRequests.get(citizen) ?? [];
    if (!links.some((l) => l.requestId === link.requestId)) links.push(clone(link));
    this.citizenRequests.set(citizen, links);
    this.citizenPhones.add(`${citizen}#${link.phoneKey}`);
  }

  async findBySearchKey(searchKey: string, options: { limit?: number } = {}): Promise<string[]> {
    return [...(this.searchKeys.get(searchKey) ?? [])]
      .sort()
      .reverse()
      .slice(0, options.limit ?? 20);
  }

  async putAcceptance(entry: AcceptanceEntry): Promise<void> {
    if (!this.acceptances.has(entry.requestId)) this.acceptances.set(entry.requestId, clone(entry));
  }

  async listAccepted(station: string, options: { limit?: number } = {}): Promise<AcceptanceEntry[]> {
    return [...this.acceptances.values()]
      .filter((e) => e.station === station)
      .sort((a, b) => `${b.acceptedAt}#${b.requestId}`.localeCompare(`${a.acceptedAt}#${a.requestId}`))
      .slice(0, options.limit ?? 50)
      .map(clone);
  }

  async putCertificate(certificate: CertificateRecord): Promise<CertificateRecord> {
    if (!this.certificates.has(certificate.number))
      this.certificates.set(certificate.number, clone(certificate));
    return clone(this.certificates.get(certificate.number)!);
  }

  async getCertificate(number: string): Promise<CertificateRecord | undefined> {
    const c = this.certificates.get(number);
    return c && clone(c);
  }

  async putExchangeRecord(record: ExchangeRecord): Promise<ExchangeRecord> {
    if (!this.exchangeRecords.has(record.exchangeId))
      this.exchangeRecords.set(record.exchangeId, clone(record));
    return clone(this.exchangeRecords.get(record.exchangeId)!);
  }

  async getExchangeRecord(exchangeId: string): Promise<ExchangeRecord | undefined> {
    const r = this.exchangeRecords.get(exchangeId);
    return r && clone(r);
  }

  async listExchangeRecords(
    department: string,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<Page<ExchangeRecord>> {
    const key = (r: ExchangeRecord) => `${r.answeredAt}#${r.exchangeId}`;
    const items = [...this.exchangeRecords.values()]
      .filter((r) => r.department === department)
      .sort((a, b) => key(b).localeCompare(key(a)));
    return page(clone(items), options.limit ?? 50, options.cursor);
  }

  async linkIdempotencyKey(
    link: IdempotencyLink,
    nowSeconds: number,
  ): Promise<{ linked: boolean; link: IdempotencyLink }> {
    const existing = this.idempotencyLinks.get(link.keyHash);
    if (existing && existing.expiresAt >= nowSeconds) return { linked: false, link: clone(existing) };
    this.idempotencyLinks.set(link.keyHash, clone(link));
    return { linked: true, link: clone(link) };
  }

  async claimWebhook(
    department: string,
    webhookId: string,
    at: string,
  ): Promise<{ claimed: true } | { claimed: false; existing: WebhookRecord }> {
    const existing = this.webhooks.get(`${department}#${webhookId}`);
    if (existing) return { claimed: false, existing: clone(existing) };
    this.webhooks.set(`${department}#${webhookId}`, { department, webhookId, state: 'PROCESSING', at });
    return { claimed: true };
  }

  async completeWebhook(
    department: string,
    webhookId: string,
    response: { statusCode: number; body: unknown },
    at: string,
  ): Promise<void> {
    this.webhooks.set(
      `${department}#${webhookId}`,
      clone({ department, webhookId, state: 'DONE', response, at }),
    );
  }

  async releaseWebhook(department: string, webhookId: string): Promise<void> {
    if (this.webhooks.get(`${department}#${webhookId}`)?.state === 'PROCESSING') {
      this.webhooks.delete(`${department}#${webhookId}`);
    }
  }

  async hitRateLimit(clientKey: string, windowStart: number, limit: number): Promise<boolean> {
    const key = `${clientKey}#${windowStart}`;
    const hits = this.rateLimits.get(key) ?? 0;
    if (hits >= limit) return false;
    this.rateLimits.set(key, hits + 1);
    return true;
  }

  async putPrincipal(tokenHash: string, principal: Principal): Promise<void> {
    this.principals.set(tokenHash, clone(principal));
  }

  async getPrincipal(tokenHash: string): Promise<Principal | undefined> {
    const p = this.principals.get(tokenHash);
    return p && clone(p);
  }

  async putDeadLetter(record: DeadLetterRecord): Promise<void> {
    if (!this.deadLetters.has(record.messageId)) this.deadLetters.set(record.messageId, clone(record));
  }

  async listDeadLetters(department: string, options: { limit?: number } = {}): Promise<DeadLetterRecord[]> {
    const key = (r: DeadLetterRecord) => `${r.at}#${r.messageId}`;
    return clone(
      [...this.deadLetters.values()]
        .filter((r) => r.department === department)
        .sort((a, b) => key(b).localeCompare(key(a)))
        .slice(0, options.limit ?? 50),
    );
  }

  // --- citizens and the abolished-demand tracker ---
  readonly citizenRequests = new Map<string, CitizenRequestLink[]>();
  readonly citizenPhones = new Set<string>();
  readonly citizenExchanges = new Map<string, Map<string, ExchangeRecord>>();
  readonly oneTimeCodes = new Map<string, OneTimeCodeRecord & { usedAt?: number }>();
  readonly demandCounters = new Map<string, AbolishedDemandCount>();
  readonly demandReports = new Map<string, AbolishedDemandReportRecord>();

  async isCitizenPairKnown(citizen: string, phone: string): Promise<boolean> {
    return this.citizenPhones.has(`${citizen}#${phone}`);
  }

  async listCitizenRequests(citizen: string, phone: string, options: { limit?: number } = {}) {
    const key = (l: CitizenRequestLink) => `${l.acceptedAt}#${l.requestId}`;
    return clone(
      (this.citizenRequests.get(citizen) ?? [])
        .filter((l) => l.phoneKey === phone)
        .sort((a, b) => key(b).localeCompare(key(a)))
        .slice(0, options.limit ?? 50),
    );
  }

  async linkCitizenExchange(citizen: string, record: ExchangeRecord): Promise<void> {
    const records = this.citizenExchanges.get(citizen) ?? new Map<string, ExchangeRecord>();
    if (!records.has(record.exchangeId)) records.set(record.exchangeId, clone(record));
    this.citizenExchanges.set(citizen, records);
  }

  async listCitizenExchanges(citizen: string, options: { limit?: number; cursor?: string } = {}) {
    const key = (r: ExchangeRecord) => `${r.answeredAt}#${r.exchangeId}`;
    const all = [...(this.citizenExchanges.get(citizen)?.values() ?? [])].sort((a, b) =>
      key(b).localeCompare(key(a)),
    );
    return clone(page(all, options.limit ?? 50, options.cursor));
  }

  async putOneTimeCode(record: OneTimeCodeRecord): Promise<void> {
    this.oneTimeCodes.set(`${record.citizenKey}#${record.phoneKey}`, clone(record));
  }

  async useOneTimeCode(citizen: string, phone: string, codeHash: string, nowMs: number, maxAttempts: number) {
    const code = this.oneTimeCodes.get(`${citizen}#${phone}`);
    if (code === undefined) return false;
    const good =
      code.codeHash === codeHash &&
      code.validUntil > nowMs &&
      code.usedAt === undefined &&
      code.attempts < maxAttempts;
    if (good) code.usedAt = nowMs;
    else code.attempts += 1;
    return good;
  }

  async countAbolishedDemand(entry: {
    month: string;
    body: string;
    kind: string;
    counter: 'declined' | 'upheldComplaints';
    at: string;
  }): Promise<void> {
    for (const period of [entry.month, 'ALL']) {
      const key = `${period}#${entry.body}#${entry.kind}`;
      const c = this.demandCounters.get(key) ?? {
        body: entry.body,
        kind: entry.kind,
        declined: 0,
        upheldComplaints: 0,
        lastAt: entry.at,
      };
      c[entry.counter] += 1;
      c.lastAt = entry.at;
      this.demandCounters.set(key, c);
    }
  }

  async listAbolishedDemands(period: string): Promise<AbolishedDemandCount[]> {
    return clone(
      [...this.demandCounters.entries()]
        .filter(([k]) => k.startsWith(`${period}#`))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([, v]) => v),
    );
  }

  async putAbolishedDemandReport(record: AbolishedDemandReportRecord) {
    if (!this.demandReports.has(record.month)) this.demandReports.set(record.month, clone(record));
    return clone(this.demandReports.get(record.month)!);
  }

  async getAbolishedDemandReport(month: string) {
    const r = this.demandReports.get(month);
    return r && clone(r);
  }

  async markAbolishedDemandReportSent(month: string, recipient: string): Promise<void> {
    const r = this.demandReports.get(month);
    if (r && !r.sentTo.includes(recipient)) r.sentTo.push(recipient);
  }
}
