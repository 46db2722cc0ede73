/**
 * The accountability store (accountability-port.ts) on certflow's one table with `@aws-sdk/lib-dynamodb`:
 * complaints (`CMP#`), accountability records (`ACC#`), ratings (`RATING#`). No Scan, no transactions:
 * every change is one conditional write; lists are Queries of the two indexes (keys.ts). An open complaint
 * sits in the status index (`CMPOPEN#{status}`); a concluded one (UPHELD, NOT_UPHELD) leaves it for the
 * owner index (`CMPDONE#{status}`, by finish). The public complaint tally reads the complaint counters
 * (counters.ts `complaintDelta`, moved after each successful complaint write), never the complaints.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type AccountabilityRecord,
  type ComplaintEvent,
  type ComplaintRecord,
  type ComplaintStatus,
  isComplaintFinal,
  isComplaintForward,
  type RatingRecord,
  type ReviewClosure,
} from '#shared/domain/complaint.ts';
import { StatusRegressionError } from '#shared/domain/request.ts';
import type { AccountabilityStore } from './accountability-port.ts';
import {
  addExpression,
  addStationFinished,
  COUNTER_SHARDS,
  complaintCounts,
  complaintDelta,
  counterKeys,
  ratingDeltas,
  scoreCounts,
  UNKNOWN_STATION,
} from './counters.ts';
import { isConditionalCheckFailed, mapAwsError, VersionConflictError } from './errors.ts';
import {
  bodyAccountabilityPartition,
  complaintDonePartition,
  complaintStatusPartition,
  decodeStartKey,
  encodeCursor,
  keys,
  OPEN_REVIEWS_PARTITION,
  officerPartition,
  stripKeys,
} from './keys.ts';
import type { Page } from './model.ts';
import type { DocumentCalls } from './plain-document.ts';
import { batchGet } from './status-index.ts';
import { TableAccess } from './table-access.ts';
import { OWNER_INDEX, STATUS_INDEX } from './table-definition.ts';

/**
 * The index keys of a complaint: open ones in the status index (waiting by deadline, ACCEPTED by
 * acceptance), concluded ones in the owner index by finish (`finishedAt`, else `updatedAt`).
 */
export function complaintIndexKeys(c: ComplaintRecord): Record<string, string> {
  if (isComplaintFinal(c.status))
    return {
      gsi2pk: complaintDonePartition(c.status),
      gsi2sk: `${c.finishedAt ?? c.updatedAt}#${c.complaintId}`,
    };
  return {
    gsi1pk: complaintStatusPartition(c.status),
    gsi1sk: `${c.deadline ?? c.acceptedAt}#${c.complaintId}`,
  };
}

export class DynamoAccountabilityStore implements AccountabilityStore {
  readonly #t: TableAccess;
  readonly #doc: DocumentCalls;
  readonly #table: string;

  constructor(client: DynamoDBClient | DynamoDBDocumentClient, tableName: string) {
    this.#t = new TableAccess(client, tableName);
    this.#doc = this.#t.doc;
    this.#table = tableName;
  }

  async #page<T>(
    what: string,
    input: Omit<QueryCommandInput, 'TableName'>,
    cursor?: string,
  ): Promise<Page<T>> {
    const start = decodeStartKey(cursor);
    const out = await this.#t.send(what, () =>
      this.#doc.send(
        new QueryCommand({
          TableName: this.#table,
          ...input,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      ),
    );
    const next = encodeCursor(out.LastEvaluatedKey);
    return {
      items: (out.Items ?? []).map((i) => stripKeys<T>(i)),
      ...(next ? { cursor: next } : {}),
    };
  }

  /** Every item of a Query (all pages), projected. */
  async #all<T>(what: string, input: Omit<QueryCommandInput, 'TableName'>): Promise<T[]> {
    const items: T[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.#t.send(what, () =>
        this.#doc.send(
          new QueryCommand({
            TableName: this.#table,
            ...input,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      items.push(...((out.Items ?? []) as T[]));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  // --- complaints ---

  async createComplaint(record: Omit<ComplaintRecord, 'version'>): Promise<boolean> {
    const full: ComplaintRecord = { ...record, version: 1 };
    const created = await this.#t.putNew(
      { ...keys.complaint(record.complaintId), itemType: 'complaint', ...complaintIndexKeys(full), ...full },
      'createComplaint',
    );
    if (created) await this.#count(undefined, full);
    return created;
  }

  /** Moves the complaint counters by a successful write's change (best effort: lost, never doubled). */
  async #count(before: ComplaintRecord | undefined, after: ComplaintRecord): Promise<void> {
    const delta = complaintDelta(before, after);
    if (!delta) return;
    try {
      await this.#doc.send(
        new UpdateCommand({ TableName: this.#table, Key: delta.key, ...addExpression(delta.add) }),
      );
    } catch {
      // Lost, never doubled (counters.ts).
    }
  }

  getComplaint(complaintId: string): Promise<ComplaintRecord | undefined> {
    return this.#t.get<ComplaintRecord>(keys.complaint(complaintId), 'getComplaint');
  }

  async updateComplaint(
    current: ComplaintRecord,
    changes: Partial<ComplaintRecord>,
    event: Omit<ComplaintEvent, 'at'> | undefined,
    at: string,
  ): Promise<ComplaintRecord> {
    const status = changes.status ?? current.status;
    if (!isComplaintForward(current.status, status))
      throw new StatusRegressionError(`complaint ${current.complaintId}: ${current.status} → ${status}`);
    const next: ComplaintRecord = {
      ...current,
      ...changes,
      version: current.version + 1,
      updatedAt: at,
      history: event ? [...current.history, { ...event, at }] : current.history,
    };
    // `undefined` in changes removes the attribute (removeUndefinedValues).
    for (const [k, v] of Object.entries(changes))
      if (v === undefined) delete (next as never as Record<string, unknown>)[k];
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            ...keys.complaint(current.complaintId),
            itemType: 'complaint',
            ...complaintIndexKeys(next),
            ...next,
          },
          ConditionExpression: '#version = :version AND #status = :status',
          ExpressionAttributeNames: { '#version': 'version', '#status': 'status' },
          ExpressionAttributeValues: { ':version': current.version, ':status': current.status },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error))
        throw new VersionConflictError(`complaint ${current.complaintId} v${current.version}`, {
          cause: error,
        });
      return mapAwsError(error, 'updateComplaint');
    }
    await this.#count(current, next);
    return next;
  }

  /**
   * Open statuses: one page of the status index (keys and a few attributes), then the complaints by key
   * (BatchGetItem), by deadline. Concluded: one page of the owner index (whole items), newest finish first.
   */
  async listComplaints(
    status: ComplaintStatus,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<Page<ComplaintRecord>> {
    const limit = options.limit ?? 50;
    if (isComplaintFinal(status)) {
      const page = await this.#page<ComplaintRecord>(
        'listComplaints',
        {
          IndexName: OWNER_INDEX,
          KeyConditionExpression: 'gsi2pk = :p',
          ExpressionAttributeValues: { ':p': complaintDonePartition(status) },
          ScanIndexForward: false,
          Limit: limit,
        },
        options.cursor,
      );
      return { ...page, items: page.items.filter((c) => c.status === status) };
    }
    const page = await this.#page<{ complaintId: string }>(
      'listComplaints',
      {
        IndexName: STATUS_INDEX,
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': complaintStatusPartition(status) },
        Limit: limit,
      },
      options.cursor,
    );
    const items = await batchGet(
      this.#t,
      'listComplaints',
      page.items.map((e) => keys.complaint(e.complaintId)),
    );
    return {
      items: items.map((i) => stripKeys<ComplaintRecord>(i)).filter((c) => c.status === status),
      ...(page.cursor ? { cursor: page.cursor } : {}),
    };
  }

  /** From the complaint counters (counters.ts `k#`): COUNTER_SHARDS small reads, whatever the number of complaints. */
  async complaintCounts(): Promise<{ station: string; status: ComplaintStatus; count: number }[]> {
    const outs = await Promise.all(
      Array.from({ length: COUNTER_SHARDS }, (_, shard) =>
        this.#t.send('complaintCounts', () =>
          this.#doc.send(new GetCommand({ TableName: this.#table, Key: counterKeys.complaints(shard) })),
        ),
      ),
    );
    return complaintCounts(outs.flatMap((o) => (o.Item ? [o.Item] : []))).map((r) => ({
      ...r,
      status: r.status as ComplaintStatus,
    }));
  }

  // --- accountability records ---

  async putAccountabilityRecord(record: AccountabilityRecord): Promise<void> {
    const owner =
      record.subject === 'OFFICER'
        ? officerPartition(record.officer ?? '')
        : bodyAccountabilityPartition(record.body ?? '');
    await this.#t.putNew(
      {
        ...keys.accountability(record.recordId),
        itemType: 'accountability',
        gsi2pk: owner,
        gsi2sk: `${record.at}#${record.recordId}`,
        ...record,
      },
      'putAccountabilityRecord',
    );
  }

  listAccountability(
    subject: { officer: string } | { body: string },
    options: { limit?: number; cursor?: string } = {},
  ): Promise<Page<AccountabilityRecord>> {
    return this.#page<AccountabilityRecord>(
      'listAccountability',
      {
        IndexName: 'byOwner',
        KeyConditionExpression: 'gsi2pk = :p',
        ExpressionAttributeValues: {
          ':p':
            'officer' in subject
              ? officerPartition(subject.officer)
              : bodyAccountabilityPartition(subject.body),
        },
        ScanIndexForward: false,
        Limit: options.limit ?? 50,
      },
      options.cursor,
    );
  }

  // --- ratings ---

  /**
   * Put-if-absent, then (only when it was new) the rating counters move (counters.ts): the figures read
   * those, never every rating. Best effort as the request counters: a crash between loses a count.
   */
  async putRating(record: RatingRecord): Promise<boolean> {
    const created = await this.#t.putNew(
      {
        ...keys.rating(record.requestId),
        itemType: 'rating',
        ...(record.review === 'OPEN'
          ? { gsi2pk: OPEN_REVIEWS_PARTITION, gsi2sk: `${record.at}#${record.requestId}` }
          : {}),
        ...record,
      },
      'putRating',
    );
    if (created) await this.#addRating(record);
    return created;
  }

  async #addRating(record: Pick<RatingRecord, 'requestId' | 'station' | 'officer' | 'score'>): Promise<void> {
    await Promise.all(
      ratingDeltas(record).map(async ({ key, add }) => {
        try {
          await this.#doc.send(
            new UpdateCommand({ TableName: this.#table, Key: key, ...addExpression(add) }),
          );
        } catch {
          // Lost, never doubled (counters.ts).
        }
      }),
    );
  }

  getRating(requestId: string): Promise<RatingRecord | undefined> {
    return this.#t.get<RatingRecord>(keys.rating(requestId), 'getRating');
  }

  async closeReview(requestId: string, closure: ReviewClosure): Promise<RatingRecord | undefined> {
    try {
      const out = await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.rating(requestId),
          // Leaves the open-review index (gsi2) in the same write.
          UpdateExpression: 'SET review = :closed, closure = :closure REMOVE gsi2pk, gsi2sk',
          ConditionExpression: 'review = :open',
          ExpressionAttributeValues: { ':closed': 'CLOSED', ':open': 'OPEN', ':closure': closure },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return stripKeys<RatingRecord>(out.Attributes ?? {});
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      return mapAwsError(error, 'closeReview');
    }
  }

  listOpenReviews(options: { limit?: number; cursor?: string } = {}): Promise<Page<RatingRecord>> {
    return this.#page<RatingRecord>(
      'listOpenReviews',
      {
        IndexName: 'byOwner',
        KeyConditionExpression: 'gsi2pk = :p',
        ExpressionAttributeValues: { ':p': OPEN_REVIEWS_PARTITION },
        Limit: options.limit ?? 50,
      },
      options.cursor,
    );
  }

  /** From the status-counter shards (counters.ts `sf#` / `sl#`): COUNTER_SHARDS small reads. */
  async finishedByStation(): Promise<{ station: string; finished: number; late: number }[]> {
    const rows = new Map<string, { finished: number; late: number }>();
    const items = await Promise.all(
      Array.from({ length: COUNTER_SHARDS }, (_, shard) =>
        this.#t.send('finishedByStation', () =>
          this.#doc.send(new GetCommand({ TableName: this.#table, Key: counterKeys.status(shard) })),
        ),
      ),
    );
    for (const out of items) if (out.Item) addStationFinished(rows, out.Item);
    return [...rows.entries()]
      .map(([station, r]) => ({ station, ...r }))
      .sort((a, b) => a.station.localeCompare(b.station));
  }

  /** Ratings per station and score, from the rating counters (COUNTER_SHARDS small reads). */
  async ratingsByStation(): Promise<{ station: string; score: number; count: number }[]> {
    const outs = await Promise.all(
      Array.from({ length: COUNTER_SHARDS }, (_, shard) =>
        this.#t.send('ratingsByStation', () =>
          this.#doc.send(new GetCommand({ TableName: this.#table, Key: counterKeys.ratings(shard) })),
        ),
      ),
    );
    return scoreCounts(outs.flatMap((o) => (o.Item ? [o.Item] : []))).map(({ key, score, count }) => ({
      station: key ?? UNKNOWN_STATION,
      score,
      count,
    }));
  }

  /** One officer's ratings per score, from the officer's rating counter (one GetItem). */
  async officerRatings(officer: string): Promise<{ score: number; count: number }[]> {
    const out = await this.#t.send('officerRatings', () =>
      this.#doc.send(new GetCommand({ TableName: this.#table, Key: counterKeys.officerRatings(officer) })),
    );
    return scoreCounts(out.Item ? [out.Item] : []).map(({ score, count }) => ({ score, count }));
  }
}
