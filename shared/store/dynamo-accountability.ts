/**
 * The accountability store (accountability-port.ts) on certflow's one table with `@aws-sdk/lib-dynamodb`:
 * complaints (`CMP#`), accountability records (`ACC#`), ratings (`RATING#`). No Scan, no transactions:
 * every change is one conditional write; lists are Queries of the two indexes (keys.ts).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import {
  type AccountabilityRecord,
  COMPLAINT_STATUSES,
  type ComplaintEvent,
  type ComplaintRecord,
  type ComplaintStatus,
  isComplaintFinal,
  isComplaintForward,
  type RatingRecord,
} from '#shared/domain/complaint.ts';
import { FINAL_STATUSES, StatusRegressionError } from '#shared/domain/request.ts';
import type { AccountabilityStore } from './accountability-port.ts';
import { isConditionalCheckFailed, mapAwsError, VersionConflictError } from './errors.ts';
import {
  bodyAccountabilityPartition,
  complaintStatusPartition,
  decodeCursor,
  encodeCursor,
  keys,
  OPEN_REVIEWS_PARTITION,
  officerPartition,
  RATINGS_PARTITION,
  statusPartition,
  stripKeys,
} from './keys.ts';
import type { Page } from './model.ts';
import type { DocumentCalls } from './plain-document.ts';
import { TableAccess } from './table-access.ts';

/** The status index keys of a complaint: waiting by deadline, ACCEPTED by acceptance, final by finish. */
export function complaintIndexKeys(c: ComplaintRecord): Record<string, string> {
  const order = isComplaintFinal(c.status) ? (c.finishedAt ?? c.updatedAt) : (c.deadline ?? c.acceptedAt);
  return { gsi1pk: complaintStatusPartition(c.status), gsi1sk: `${order}#${c.complaintId}` };
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
    const start = decodeCursor(cursor);
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

  createComplaint(record: Omit<ComplaintRecord, 'version'>): Promise<boolean> {
    const full: ComplaintRecord = { ...record, version: 1 };
    return this.#t.putNew(
      { ...keys.complaint(record.complaintId), itemType: 'complaint', ...complaintIndexKeys(full), ...full },
      'createComplaint',
    );
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
    return next;
  }

  listComplaints(
    status: ComplaintStatus,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<Page<ComplaintRecord>> {
    return this.#page<ComplaintRecord>(
      'listComplaints',
      {
        IndexName: 'byStatusDeadline',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': complaintStatusPartition(status) },
        Limit: options.limit ?? 50,
      },
      options.cursor,
    );
  }

  async complaintStations(): Promise<{ station?: string; status: ComplaintStatus }[]> {
    const all: { station?: string; status: ComplaintStatus }[] = [];
    for (const status of COMPLAINT_STATUSES) {
      const items = await this.#all<{ station?: string }>('complaintStations', {
        IndexName: 'byStatusDeadline',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': complaintStatusPartition(status) },
        ProjectionExpression: '#station',
        ExpressionAttributeNames: { '#station': 'station' },
      });
      for (const i of items) all.push({ ...(i.station ? { station: i.station } : {}), status });
    }
    return all;
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

  putRating(record: RatingRecord): Promise<boolean> {
    return this.#t.putNew(
      {
        ...keys.rating(record.requestId),
        itemType: 'rating',
        gsi1pk: RATINGS_PARTITION,
        gsi1sk: `${record.at}#${record.requestId}`,
        ...(record.review === 'OPEN'
          ? { gsi2pk: OPEN_REVIEWS_PARTITION, gsi2sk: `${record.at}#${record.requestId}` }
          : {}),
        ...record,
      },
      'putRating',
    );
  }

  getRating(requestId: string): Promise<RatingRecord | undefined> {
    return this.#t.get<RatingRecord>(keys.rating(requestId), 'getRating');
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

  async finishedByStation(): Promise<{ station: string; onTime?: boolean }[]> {
    const all: { station: string; onTime?: boolean }[] = [];
    for (const status of FINAL_STATUSES) {
      const items = await this.#all<{ station?: string; onTime?: boolean }>('finishedByStation', {
        IndexName: 'byStatusDeadline',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': statusPartition(status) },
        ProjectionExpression: '#station, onTime',
        ExpressionAttributeNames: { '#station': 'station' },
      });
      for (const i of items)
        if (i.station)
          all.push({ station: i.station, ...(typeof i.onTime === 'boolean' ? { onTime: i.onTime } : {}) });
    }
    return all;
  }

  ratingFigures(): Promise<Pick<RatingRecord, 'station' | 'officer' | 'score'>[]> {
    return this.#all('ratingFigures', {
      IndexName: 'byStatusDeadline',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': RATINGS_PARTITION },
      ProjectionExpression: '#station, officer, score',
      ExpressionAttributeNames: { '#station': 'station' },
    });
  }
}
