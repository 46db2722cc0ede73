/**
 * The store over one DynamoDB table (single-table design, keys in keys.ts) with `@aws-sdk/lib-dynamodb`.
 * No Scan, no TransactWriteItems: each change is one conditional write plus idempotent follow-ups, and the
 * counters it moves (counters.ts: the status and per-hour finished counts the metrics read).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { isFinal, nextRequest, type RequestStatus } from '#shared/domain/request.ts';
import {
  addCounterItem,
  addExpression,
  addFinishedItem,
  COUNTER_SHARDS,
  counterKeys,
  counterShard,
  type FinishedFigures,
  finishedDelta,
  statusDelta,
} from './counters.ts';
import { citizenRequestItem, DynamoCitizenItems, pairMarkItem } from './dynamo-citizen.ts';
import { isConditionalCheckFailed, mapAwsError, VersionConflictError } from './errors.ts';
import {
  ACCEPTED_QUEUE_PREFIX,
  decodeStartKey,
  departmentPartition,
  EVENT_PREFIX,
  encodeCursor,
  keys,
  REQUEST_SK,
  REQUESTS_QUEUE_UPPER,
  requestIndexKeys,
  searchPartition,
  stationDonePartition,
  stationPartition,
  statusPartitions,
  stripKeys,
} from './keys.ts';
import type {
  CertificateRecord,
  CitizenRequestLink,
  DeadLetterRecord,
  ExchangeRecord,
  IdempotencyLink,
  Page,
  Principal,
  RequestEvent,
  RequestRecord,
  WebhookRecord,
} from './model.ts';
import type { DocumentCalls } from './plain-document.ts';
import {
  type AcceptanceEntry,
  type CertflowStore,
  emptyStatusTally,
  type NewEvent,
  type StatusEntry,
  type StatusTally,
} from './port.ts';
import { batchGet, queryShards, statusEntry } from './status-index.ts';
import { TableAccess } from './table-access.ts';

/**
 * How long an exchange record is kept: certflow's default, 3 years after it was answered (no retention
 * period is set in the Jilin notices; a province sets its own here). Epoch seconds, the TTL attribute.
 */
export const EXCHANGE_RECORD_RETENTION_DAYS = 3 * 365;

export function exchangeRecordExpiry(answeredAt: string): number | undefined {
  const at = Date.parse(answeredAt);
  return Number.isFinite(at) ? Math.floor(at / 1000) + EXCHANGE_RECORD_RETENTION_DAYS * 86_400 : undefined;
}

/** A request's search lookup items (`FIND#{key}` / `REQ#{requestId}`), each key once. */
function searchItems(requestId: string, searchKeys: readonly string[]): Record<string, unknown>[] {
  return [...new Set(searchKeys)].map((searchKey) => ({
    pk: searchPartition(searchKey),
    sk: `REQ#${requestId}`,
    itemType: 'search',
    requestId,
  }));
}

export class DynamoStore implements CertflowStore {
  readonly #t: TableAccess;
  readonly #doc: DocumentCalls;
  readonly #table: string;
  readonly #citizen: DynamoCitizenItems;

  constructor(client: DynamoDBClient | DynamoDBDocumentClient, tableName: string) {
    this.#t = new TableAccess(client, tableName);
    this.#doc = this.#t.doc;
    this.#table = tableName;
    this.#citizen = new DynamoCitizenItems(this.#t);
  }

  // --- citizens and the abolished-demand tracker: dynamo-citizen.ts ---
  isCitizenPairKnown: CertflowStore['isCitizenPairKnown'] = (c, p) => this.#citizen.isCitizenPairKnown(c, p);
  listCitizenRequests: CertflowStore['listCitizenRequests'] = (c, p, o) =>
    this.#citizen.listCitizenRequests(c, p, o);
  linkCitizenExchange: CertflowStore['linkCitizenExchange'] = (c, r) =>
    this.#citizen.linkCitizenExchange(c, r);
  listCitizenExchanges: CertflowStore['listCitizenExchanges'] = (c, o) =>
    this.#citizen.listCitizenExchanges(c, o);
  putOneTimeCode: CertflowStore['putOneTimeCode'] = (r) => this.#citizen.putOneTimeCode(r);
  useOneTimeCode: CertflowStore['useOneTimeCode'] = (c, p, h, n, m) =>
    this.#citizen.useOneTimeCode(c, p, h, n, m);
  countAbolishedDemand: CertflowStore['countAbolishedDemand'] = (e) => this.#citizen.countAbolishedDemand(e);
  listAbolishedDemands: CertflowStore['listAbolishedDemands'] = (p) => this.#citizen.listAbolishedDemands(p);
  putAbolishedDemandReport: CertflowStore['putAbolishedDemandReport'] = (r) =>
    this.#citizen.putAbolishedDemandReport(r);
  getAbolishedDemandReport: CertflowStore['getAbolishedDemandReport'] = (m) =>
    this.#citizen.getAbolishedDemandReport(m);
  markAbolishedDemandReportSent: CertflowStore['markAbolishedDemandReportSent'] = (m, r) =>
    this.#citizen.markAbolishedDemandReportSent(m, r);

  // --- requests ---

  async createRequest(
    record: Omit<RequestRecord, 'version' | 'lastEvent'>,
    event: NewEvent,
  ): Promise<boolean> {
    const lastEvent: RequestEvent = {
      seq: 1,
      at: record.acceptedAt,
      type: event.type,
      actor: event.actor,
      detail: event.detail ?? {},
    };
    const full: RequestRecord = { ...record, version: 1, lastEvent };
    // The first event lives on the request item; the next update writes it as an event item.
    const created = await this.#t.putNew(
      { ...keys.request(record.requestId), itemType: 'request', ...requestIndexKeys(full), ...full },
      'createRequest',
    );
    if (created) await this.#count(undefined, full);
    return created;
  }

  /**
   * Moves the counters by what the write from `before` to `after` changed (after that write succeeded).
   * Best effort: a failure here is not the request's (it is stored); the count is lost, never doubled.
   */
  async #count(before: RequestRecord | undefined, after: RequestRecord): Promise<void> {
    const updates: { key: { pk: string; sk: string }; add: Record<string, number> }[] = [];
    const delta = statusDelta(before, after);
    if (Object.keys(delta).length > 0)
      updates.push({ key: counterKeys.status(counterShard(after.requestId)), add: delta });
    const finished = finishedDelta(before, after);
    if (finished) updates.push({ key: counterKeys.finished(finished.hour), add: finished.add });
    await Promise.all(
      updates.map(async ({ key, add }) => {
        try {
          await this.#doc.send(
            new UpdateCommand({ TableName: this.#table, Key: key, ...addExpression(add) }),
          );
        } catch {
          // Lost, never doubled (see counters.ts).
        }
      }),
    );
  }

  getRequest(requestId: string): Promise<RequestRecord | undefined> {
    return this.#t.get<RequestRecord>(keys.request(requestId), 'getRequest');
  }

  async getRequestWithHistory(
    requestId: string,
  ): Promise<{ request: RequestRecord; history: RequestEvent[] } | undefined> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.#t.send('getRequestWithHistory', () =>
        this.#doc.send(
          new QueryCommand({
            TableName: this.#table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': keys.request(requestId).pk },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        ),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    const requestItem = items.find((i) => i.sk === REQUEST_SK);
    if (!requestItem) return undefined;
    const request = stripKeys<RequestRecord>(requestItem);
    const history = items
      .filter((i) => typeof i.sk === 'string' && i.sk.startsWith(EVENT_PREFIX))
      .map((i) => stripKeys<RequestEvent>(i));
    // The event of the latest version may not be written yet (or a crash lost it): it lives on the request.
    if (!history.some((e) => e.seq === request.lastEvent.seq)) history.push(request.lastEvent);
    history.sort((a, b) => a.seq - b.seq);
    return { request, history };
  }

  async updateRequest(
    current: RequestRecord,
    changes: Partial<RequestRecord>,
    event: NewEvent,
    at: string,
  ): Promise<RequestRecord> {
    const next = nextRequest(current, changes, event, at);
    // First the idempotent write of the previous version's event item, then one conditional write of the
    // request (version check); this version's event stays on the request item until the next one. In this
    // order a reader that sees version n also finds the event items up to n - 1 (written side by side, a
    // status poll could see the new version before the previous event: getRequestWithHistory missed it).
    await this.ensureLastEvent(current);
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            ...keys.request(current.requestId),
            itemType: 'request',
            ...requestIndexKeys(next),
            ...next,
          },
          ConditionExpression: '#version = :version AND #status = :status',
          ExpressionAttributeNames: { '#version': 'version', '#status': 'status' },
          ExpressionAttributeValues: { ':version': current.version, ':status': current.status },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) {
        throw new VersionConflictError(`request ${current.requestId} v${current.version}`, { cause: error });
      }
      return mapAwsError(error, 'updateRequest');
    }
    await this.#count(current, next);
    return next;
  }

  /**
   * A plain PutItem, no `attribute_not_exists` condition: the event of version n is fixed once version n
   * is stored (only committed versions' `lastEvent` is written here, and version n's item is replaced only
   * by version n + 1), so writing it again writes the same item. A conditional put cost ≈ 70–150 µs more
   * CPU on the local stack (bench/PERF-NOTES.md round 4), twice on the on-the-spot path.
   */
  async ensureLastEvent(request: RequestRecord): Promise<void> {
    await this.#t.send('appendEvent', () =>
      this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            ...keys.event(request.requestId, request.lastEvent.seq),
            itemType: 'event',
            ...request.lastEvent,
          },
        }),
      ),
    );
  }

  /**
   * Open requests of `status` (never a final one: the status index holds only open requests), one page
   * merged across the status's shards (status-index.ts), then the page's items by key (BatchGetItem):
   * reads bounded by `limit` (default 100). An item that has left `status` since is left out.
   */
  async listByStatus(
    status: RequestStatus,
    options: { after?: string; before?: string; limit?: number; cursor?: string } = {},
  ): Promise<Page<RequestRecord>> {
    const page = await this.listStatusEntries(status, options);
    const items = await batchGet(
      this.#t,
      'listByStatus',
      page.items.map((e) => keys.request(e.requestId)),
    );
    return {
      items: items.map((i) => stripKeys<RequestRecord>(i)).filter((r) => r.status === status),
      ...(page.cursor ? { cursor: page.cursor } : {}),
    };
  }

  /**
   * The status index's entries of open requests in `status` (its projection only: no item read), merged
   * across shards by sort key, at most `limit` (default 100) a page. For counts and deadlines.
   */
  async listStatusEntries(
    status: RequestStatus,
    options: { after?: string; before?: string; limit?: number; cursor?: string } = {},
  ): Promise<Page<StatusEntry>> {
    if (isFinal(status))
      throw new RangeError(`${status} is final: the status index holds only open requests (counters.ts)`);
    const page = await queryShards(
      this.#t,
      'listStatusEntries',
      statusPartitions(status),
      {
        ...(options.after !== undefined ? { after: options.after } : {}),
        ...(options.before !== undefined ? { before: `${options.before}#~` } : {}),
      },
      options.limit ?? 100,
      options.cursor,
    );
    return {
      items: page.items.map((i) => statusEntry(i)),
      ...(page.cursor ? { cursor: page.cursor } : {}),
    };
  }

  /** From the status counters (counters.ts): COUNTER_SHARDS small reads, whatever the number of requests. */
  async countByStatus(status: RequestStatus): Promise<StatusTally> {
    const result = emptyStatusTally();
    const items = await Promise.all(
      Array.from({ length: COUNTER_SHARDS }, (_, shard) =>
        this.#t.send('countByStatus', () =>
          this.#doc.send(new GetCommand({ TableName: this.#table, Key: counterKeys.status(shard) })),
        ),
      ),
    );
    for (const out of items) if (out?.Item) addCounterItem(result, out.Item, status);
    return result;
  }

  /** From the per-hour finished counters (counters.ts): one Query from `since`'s hour, ≤ 24 items a day. */
  async countFinishedSince(
    status: RequestStatus,
    since: string,
    dayOf: (finishedAt: string) => string,
  ): Promise<Record<string, Record<string, number>>> {
    if (!isFinal(status)) throw new RangeError(`${status} is not a final status`);
    const days: Record<string, Record<string, number>> = {};
    const prefix = `f#${status}#`;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.#t.send('countFinishedSince', () =>
        this.#doc.send(
          new QueryCommand({
            TableName: this.#table,
            KeyConditionExpression: 'pk = :p AND sk >= :since',
            ExpressionAttributeValues: { ':p': counterKeys.finishedPartition, ':since': since.slice(0, 13) },
            ExclusiveStartKey: start,
          }),
        ),
      );
      for (const item of out.Items ?? []) {
        const day = dayOf(`${String(item.sk)}:00:00.000Z`);
        for (const [k, v] of Object.entries(item)) {
          if (!k.startsWith(prefix) || typeof v !== 'number') continue;
          const counts = days[day] ?? {};
          days[day] = counts;
          const outcome = k.slice(prefix.length);
          counts[outcome] = (counts[outcome] ?? 0) + v;
        }
      }
      start = out.LastEvaluatedKey;
    } while (start);
    return days;
  }

  /** From the hourly finished counters (counters.ts): one Query of the hours from `after` to `before`. */
  async finishedFigures(after: string, before: string): Promise<FinishedFigures> {
    const figures: FinishedFigures = { stations: {}, officers: {} };
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.#t.send('finishedFigures', () =>
        this.#doc.send(
          new QueryCommand({
            TableName: this.#table,
            KeyConditionExpression: 'pk = :p AND sk BETWEEN :after AND :before',
            ExpressionAttributeValues: {
              ':p': counterKeys.finishedPartition,
              ':after': after.slice(0, 13),
              ':before': before.slice(0, 13),
            },
            ExclusiveStartKey: start,
          }),
        ),
      );
      for (const item of out.Items ?? []) addFinishedItem(figures, item);
      start = out.LastEvaluatedKey;
    } while (start);
    return figures;
  }

  async listStationQueue(
    station: string,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<Page<RequestRecord>> {
    const out = await this.#t.send('listStationQueue', () =>
      this.#doc.send(
        new QueryCommand({
          TableName: this.#table,
          IndexName: 'byOwner',
          // Requests sort by their deadline; acceptances and registry checks of the station after them.
          KeyConditionExpression: 'gsi2pk = :p AND gsi2sk < :upper',
          ExpressionAttributeValues: { ':p': stationPartition(station), ':upper': REQUESTS_QUEUE_UPPER },
          Limit: options.limit ?? 50,
          ExclusiveStartKey: decodeStartKey(options.cursor),
        }),
      ),
    );
    return {
      items: (out.Items ?? []).map((i) => stripKeys<RequestRecord>(i)),
      cursor: encodeCursor(out.LastEvaluatedKey),
    };
  }

  async listStationDone(
    station: string,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<Page<RequestRecord>> {
    const out = await this.#t.send('listStationDone', () =>
      this.#doc.send(
        new QueryCommand({
          TableName: this.#table,
          IndexName: 'byOwner',
          KeyConditionExpression: 'gsi2pk = :p',
          ExpressionAttributeValues: { ':p': stationDonePartition(station) },
          ScanIndexForward: false,
          Limit: options.limit ?? 50,
          ExclusiveStartKey: decodeStartKey(options.cursor),
        }),
      ),
    );
    return {
      items: (out.Items ?? []).map((i) => stripKeys<RequestRecord>(i)),
      cursor: encodeCursor(out.LastEvaluatedKey),
    };
  }

  /** One BatchWriteItem (`TableAccess.putAll`) for a request's lookup items (≤ 7 keys: one call). */
  async putSearchKeys(requestId: string, searchKeys: readonly string[]): Promise<void> {
    await this.#t.putAll(searchItems(requestId, searchKeys), 'putSearchKeys');
  }

  /**
   * The search keys, the applicant's request link and the pair's mark (`pairMarkItem`) in one call on the
   * on-the-spot path: one BatchWriteItem.
   */
  async fileRequest(
    requestId: string,
    searchKeys: readonly string[],
    applicant?: { citizenKey: string; link: CitizenRequestLink },
  ): Promise<void> {
    await this.#t.putAll(
      [
        ...searchItems(requestId, searchKeys),
        ...(applicant
          ? [
              citizenRequestItem(applicant.citizenKey, applicant.link),
              pairMarkItem(applicant.citizenKey, applicant.link.phoneKey),
            ]
          : []),
      ],
      'fileRequest',
    );
  }

  async findBySearchKey(searchKey: string, options: { limit?: number } = {}): Promise<string[]> {
    const out = await this.#t.send('findBySearchKey', () =>
      this.#doc.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': searchPartition(searchKey) },
          ScanIndexForward: false,
          Limit: options.limit ?? 20,
        }),
      ),
    );
    return (out.Items ?? []).map((i) => String(i.requestId));
  }

  async putAcceptance(entry: AcceptanceEntry): Promise<void> {
    await this.#t.putNew(
      {
        ...keys.acceptance(entry.requestId),
        itemType: 'acceptance',
        gsi2pk: stationPartition(entry.station),
        gsi2sk: `${ACCEPTED_QUEUE_PREFIX}${entry.acceptedAt}#${entry.requestId}`,
        ...entry,
      },
      'putAcceptance',
    );
  }

  async listAccepted(station: string, options: { limit?: number } = {}): Promise<AcceptanceEntry[]> {
    const out = await this.#t.send('listAccepted', () =>
      this.#doc.send(
        new QueryCommand({
          TableName: this.#table,
          IndexName: 'byOwner',
          KeyConditionExpression: 'gsi2pk = :p AND begins_with(gsi2sk, :a)',
          ExpressionAttributeValues: { ':p': stationPartition(station), ':a': ACCEPTED_QUEUE_PREFIX },
          ScanIndexForward: false,
          Limit: options.limit ?? 50,
        }),
      ),
    );
    return (out.Items ?? []).map((i) => stripKeys<AcceptanceEntry>(i));
  }

  // --- certificates ---

  async putCertificate(certificate: CertificateRecord): Promise<CertificateRecord> {
    const created = await this.#t.putNew(
      { ...keys.certificate(certificate.number), itemType: 'certificate', ...certificate },
      'putCertificate',
    );
    if (created) return certificate;
    const existing = await this.getCertificate(certificate.number);
    if (!existing) throw new VersionConflictError(`certificate ${certificate.number}`);
    return existing;
  }

  getCertificate(number: string): Promise<CertificateRecord | undefined> {
    return this.#t.get<CertificateRecord>(keys.certificate(number), 'getCertificate');
  }

  // --- exchange ---

  async putExchangeRecord(record: ExchangeRecord): Promise<ExchangeRecord> {
    const created = await this.#t.putNew(
      {
        ...keys.exchange(record.exchangeId),
        itemType: 'exchange',
        gsi2pk: departmentPartition(record.department),
        gsi2sk: `EXCH#${record.answeredAt}#${record.exchangeId}`,
        // Expires by policy (the table's TTL on AWS; the local stack's expiry sweep locally).
        expiresAt: exchangeRecordExpiry(record.answeredAt),
        ...record,
      },
      'putExchangeRecord',
    );
    if (created) return record;
    return (await this.getExchangeRecord(record.exchangeId)) ?? record;
  }

  getExchangeRecord(exchangeId: string): Promise<ExchangeRecord | undefined> {
    return this.#t.get<ExchangeRecord>(keys.exchange(exchangeId), 'getExchangeRecord');
  }

  async listExchangeRecords(
    department: string,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<Page<ExchangeRecord>> {
    const out = await this.#t.send('listExchangeRecords', () =>
      this.#doc.send(
        new QueryCommand({
          TableName: this.#table,
          IndexName: 'byOwner',
          KeyConditionExpression: 'gsi2pk = :p AND begins_with(gsi2sk, :prefix)',
          ExpressionAttributeValues: { ':p': departmentPartition(department), ':prefix': 'EXCH#' },
          ScanIndexForward: false,
          Limit: options.limit ?? 20,
          ExclusiveStartKey: decodeStartKey(options.cursor),
        }),
      ),
    );
    return {
      items: (out.Items ?? []).map((i) => stripKeys<ExchangeRecord>(i)),
      cursor: encodeCursor(out.LastEvaluatedKey),
    };
  }

  // --- edge ---

  async linkIdempotencyKey(
    link: IdempotencyLink,
    nowSeconds: number,
  ): Promise<{ linked: boolean; link: IdempotencyLink }> {
    const key = keys.idempotencyLink(link.keyHash);
    // An expired link that TTL has not deleted yet counts as absent.
    if (
      await this.#t.putNew({ ...key, itemType: 'idempotencyLink', ...link }, 'linkIdempotencyKey', nowSeconds)
    )
      return { linked: true, link };
    // Read whole (TableAccess.get strips `expiresAt`, which the link answers with).
    const out = await this.#t.send('getIdempotencyLink', () =>
      this.#doc.send(new GetCommand({ TableName: this.#table, Key: key, ConsistentRead: true })),
    );
    // Deleted (expired) between the two calls: link again.
    if (!out.Item) return this.linkIdempotencyKey(link, nowSeconds);
    const { requestId, bodyHash, acceptedAt, expiresAt } = out.Item as IdempotencyLink;
    return { linked: false, link: { keyHash: link.keyHash, requestId, bodyHash, acceptedAt, expiresAt } };
  }

  async claimWebhook(
    department: string,
    webhookId: string,
    at: string,
    expiresAt: number,
  ): Promise<{ claimed: true } | { claimed: false; existing: WebhookRecord }> {
    const key = keys.webhook(department, webhookId);
    const record: WebhookRecord = { department, webhookId, state: 'PROCESSING', at };
    if (await this.#t.putNew({ ...key, itemType: 'webhook', ...record, expiresAt }, 'claimWebhook')) {
      return { claimed: true };
    }
    const existing = await this.#t.get<WebhookRecord>(key, 'getWebhook');
    if (!existing) return this.claimWebhook(department, webhookId, at, expiresAt);
    return { claimed: false, existing };
  }

  async completeWebhook(
    department: string,
    webhookId: string,
    response: { statusCode: number; body: unknown },
    at: string,
    expiresAt: number,
  ): Promise<void> {
    const record: WebhookRecord = { department, webhookId, state: 'DONE', response, at };
    await this.#t.send('completeWebhook', () =>
      this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...keys.webhook(department, webhookId), itemType: 'webhook', ...record, expiresAt },
        }),
      ),
    );
  }

  async releaseWebhook(department: string, webhookId: string): Promise<void> {
    await this.#t
      .send('releaseWebhook', () =>
        this.#doc.send(
          new DeleteCommand({
            TableName: this.#table,
            Key: keys.webhook(department, webhookId),
            ConditionExpression: '#state = :processing',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':processing': 'PROCESSING' },
          }),
        ),
      )
      .catch((error: unknown) => {
        if (!isConditionalCheckFailed((error as { cause?: unknown }).cause ?? error)) throw error;
      });
  }

  async hitRateLimit(
    clientKey: string,
    windowStart: number,
    limit: number,
    expiresAt: number,
  ): Promise<boolean> {
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.rate(clientKey, windowStart),
          UpdateExpression: 'ADD hits :one SET expiresAt = :exp, itemType = :type',
          ConditionExpression: 'attribute_not_exists(hits) OR hits < :limit',
          ExpressionAttributeValues: { ':one': 1, ':exp': expiresAt, ':limit': limit, ':type': 'rate' },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      return mapAwsError(error, 'hitRateLimit');
    }
  }

  // --- configuration ---

  async putPrincipal(tokenHash: string, principal: Principal): Promise<void> {
    await this.#t.send('putPrincipal', () =>
      this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...keys.principal(tokenHash), itemType: 'principal', ...principal },
        }),
      ),
    );
  }

  getPrincipal(tokenHash: string): Promise<Principal | undefined> {
    return this.#t.get<Principal>(keys.principal(tokenHash), 'getPrincipal');
  }

  // --- dead letters ---

  async putDeadLetter(record: DeadLetterRecord): Promise<void> {
    await this.#t.putNew(
      {
        ...keys.deadLetter(record.messageId),
        itemType: 'deadLetter',
        gsi2pk: departmentPartition(record.department),
        gsi2sk: `DLQ#${record.at}#${record.messageId}`,
        ...record,
      },
      'putDeadLetter',
    );
  }

  async listDeadLetters(department: string, options: { limit?: number } = {}): Promise<DeadLetterRecord[]> {
    const out = await this.#t.send('listDeadLetters', () =>
      this.#doc.send(
        new QueryCommand({
          TableName: this.#table,
          IndexName: 'byOwner',
          KeyConditionExpression: 'gsi2pk = :p AND begins_with(gsi2sk, :prefix)',
          ExpressionAttributeValues: { ':p': departmentPartition(department), ':prefix': 'DLQ#' },
          ScanIndexForward: false,
          Limit: options.limit ?? 50,
        }),
      ),
    );
    return (out.Items ?? []).map((i) => stripKeys<DeadLetterRecord>(i));
  }
}
