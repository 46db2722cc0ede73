/**
 * Periodic exchange, result feedback and registry checks on the single table (keys in keys.ts), with
 * `@aws-sdk/lib-dynamodb`. No Scan: subscriptions are one partition (one item per connected body), a
 * subscriber's feed is one partition read from its cursor, a person's subscribers one partition keyed by
 * the SHA-256 of the ID number. No transactions: each step is one conditional write or idempotent puts.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { sha256Hex } from '#shared/certificates/ids-and-codes.ts';
import { eachLimited } from '#shared/concurrency.ts';
import { isConditionalCheckFailed, mapAwsError } from './errors.ts';
import {
  CHECK_QUEUE_PREFIX,
  feedPartition,
  keys,
  SUBSCRIPTIONS_PK,
  stationPartition,
  stripKeys,
} from './keys.ts';
import type {
  ExchangeFeedback,
  ExchangeRecord,
  FeedEntry,
  RegistryChangeRecord,
  RegistryCheck,
  SubscriptionRecord,
} from './model.ts';
import type { DocumentCalls } from './plain-document.ts';
import type { ExchangeFeedStore } from './port.ts';
import { TableAccess } from './table-access.ts';

/** Parallel conditional writes at most (registering a caseload). */
const WRITE_CONCURRENCY = 16;

export class DynamoExchangeStore implements ExchangeFeedStore {
  readonly #t: TableAccess;
  readonly #doc: DocumentCalls;
  readonly #table: string;

  constructor(client: DynamoDBClient | DynamoDBDocumentClient, tableName: string) {
    this.#t = new TableAccess(client, tableName);
    this.#doc = this.#t.doc;
    this.#table = tableName;
  }

  /** All items of one partition (optionally after `after`), in pages. */
  async #queryAll(pk: string, what: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.#t.send(what, () =>
        this.#doc.send(
          new QueryCommand({
            TableName: this.#table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': pk },
            ExclusiveStartKey: start,
            ConsistentRead: true,
          }),
        ),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  // --- subscriptions ---

  getSubscription(department: string): Promise<SubscriptionRecord | undefined> {
    return this.#t.get<SubscriptionRecord>(keys.subscription(department), 'getSubscription');
  }

  async putSubscription(department: string, changeTypes: string[], at: string): Promise<SubscriptionRecord> {
    const out = await this.#t.send('putSubscription', () =>
      this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.subscription(department),
          UpdateExpression:
            'SET itemType = :t, department = :d, changeTypes = :c, updatedAt = :at, createdAt = if_not_exists(createdAt, :at), ' +
            'people = if_not_exists(people, :zero), attempts = if_not_exists(attempts, :zero), ' +
            'delivered = if_not_exists(delivered, :zero), deadLettered = if_not_exists(deadLettered, :zero)',
          ExpressionAttributeValues: {
            ':t': 'subscription',
            ':d': department,
            ':c': changeTypes,
            ':at': at,
            ':zero': 0,
          },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return stripKeys<SubscriptionRecord>(out.Attributes ?? {});
  }

  async addPeople(department: string, idNumbers: readonly string[], at: string): Promise<number> {
    let added = 0;
    await eachLimited([...new Set(idNumbers)], WRITE_CONCURRENCY, async (idNumber) => {
      const created = await this.#t.putNew(
        { ...keys.watch(sha256Hex(idNumber), department), itemType: 'watch', department, addedAt: at },
        'addPeople',
      );
      if (created) added += 1;
    });
    if (added > 0) await this.#count(department, 'people', added);
    return added;
  }

  async removePeople(department: string, idNumbers: readonly string[]): Promise<number> {
    let removed = 0;
    await eachLimited([...new Set(idNumbers)], WRITE_CONCURRENCY, async (idNumber) => {
      const out = await this.#t.send('removePeople', () =>
        this.#doc.send(
          new DeleteCommand({
            TableName: this.#table,
            Key: keys.watch(sha256Hex(idNumber), department),
            ReturnValues: 'ALL_OLD',
          }),
        ),
      );
      if (!out.Attributes) return;
      removed += 1;
    });
    if (removed > 0) await this.#count(department, 'people', -removed);
    return removed;
  }

  async #count(department: string, field: 'people', by: number): Promise<void> {
    await this.#t.send('countPeople', () =>
      this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.subscription(department),
          UpdateExpression: `ADD ${field} :n`,
          ExpressionAttributeValues: { ':n': by },
        }),
      ),
    );
  }

  async listSubscriptions(): Promise<SubscriptionRecord[]> {
    return (await this.#queryAll(SUBSCRIPTIONS_PK, 'listSubscriptions')).map((i) =>
      stripKeys<SubscriptionRecord>(i),
    );
  }

  async subscribersOf(idNumber: string): Promise<string[]> {
    const items = await this.#queryAll(`WATCH#${sha256Hex(idNumber)}`, 'subscribersOf');
    return items.flatMap((i) => (typeof i.department === 'string' ? [i.department] : []));
  }

  // --- the change feed ---

  async putChange(change: RegistryChangeRecord): Promise<{ created: boolean; stored: RegistryChangeRecord }> {
    const key = keys.change(change.changeId);
    const created = await this.#t.putNew({ ...key, itemType: 'change', ...change }, 'putChange');
    const stored = created ? change : ((await this.#t.get<RegistryChangeRecord>(key, 'getChange')) ?? change);
    const { fannedOutAt: _f, subscribers: _s, ...facts } = stored;
    await this.#t.send('putPersonChange', () =>
      this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            ...keys.personChange(sha256Hex(facts.idNumber), facts.effectiveOn, facts.changeId),
            itemType: 'personChange',
            ...facts,
          },
        }),
      ),
    );
    return { created, stored };
  }

  async changesOf(idNumber: string): Promise<RegistryChangeRecord[]> {
    return (await this.#queryAll(`PCHANGE#${sha256Hex(idNumber)}`, 'changesOf')).map((i) =>
      stripKeys<RegistryChangeRecord>(i),
    );
  }

  async markFannedOut(changeId: string, at: string, subscribers: number): Promise<void> {
    await this.#t.send('markFannedOut', () =>
      this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.change(changeId),
          UpdateExpression: 'SET fannedOutAt = :at, subscribers = :n',
          ExpressionAttributeValues: { ':at': at, ':n': subscribers },
        }),
      ),
    );
  }

  async putFeedEntries(entries: readonly FeedEntry[]): Promise<void> {
    await this.#t.putAll(
      entries.map((e) => ({ ...keys.feed(e.department, e.position), itemType: 'feed', ...e })),
      'putFeedEntries',
    );
  }

  async readFeed(department: string, cursor: string | undefined, limit: number): Promise<FeedEntry[]> {
    const out = await this.#t.send('readFeed', () =>
      this.#doc.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: cursor === undefined ? 'pk = :pk' : 'pk = :pk AND sk > :c',
          ExpressionAttributeValues: {
            ':pk': feedPartition(department),
            ...(cursor === undefined ? {} : { ':c': cursor }),
          },
          Limit: limit,
          ConsistentRead: true,
        }),
      ),
    );
    return (out.Items ?? []).map((i) => stripKeys<FeedEntry>(i));
  }

  async advanceCursor(
    department: string,
    from: string | undefined,
    to: string,
    outcome: { at: string; batchId: string; delivered?: number; deadLettered?: number },
  ): Promise<boolean> {
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.subscription(department),
          UpdateExpression:
            'SET #cursor = :to, attempts = :zero, lastBatchId = :b, lastAcknowledgedAt = :at REMOVE lastError, pendingBatch ' +
            'ADD delivered :d, deadLettered :x',
          ConditionExpression: from === undefined ? 'attribute_not_exists(#cursor)' : '#cursor = :from',
          ExpressionAttributeNames: { '#cursor': 'cursor' },
          ExpressionAttributeValues: {
            ':to': to,
            ':zero': 0,
            ':b': outcome.batchId,
            ':at': outcome.at,
            ':d': outcome.delivered ?? 0,
            ':x': outcome.deadLettered ?? 0,
            ...(from === undefined ? {} : { ':from': from }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      return mapAwsError(error, 'advanceCursor');
    }
  }

  async markPending(
    department: string,
    cursor: string | undefined,
    pending: { first: string; at: string },
  ): Promise<void> {
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.subscription(department),
          UpdateExpression: 'SET pendingBatch = :p',
          ConditionExpression: cursor === undefined ? 'attribute_not_exists(#cursor)' : '#cursor = :c',
          ExpressionAttributeNames: { '#cursor': 'cursor' },
          ExpressionAttributeValues: { ':p': pending, ...(cursor === undefined ? {} : { ':c': cursor }) },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) mapAwsError(error, 'markPending');
    }
  }

  async recordFailure(
    department: string,
    cursor: string | undefined,
    error: string,
    at: string,
  ): Promise<number> {
    try {
      const out = await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.subscription(department),
          UpdateExpression: 'SET lastError = :e, lastFailedAt = :at ADD attempts :one',
          ConditionExpression: cursor === undefined ? 'attribute_not_exists(#cursor)' : '#cursor = :c',
          ExpressionAttributeNames: { '#cursor': 'cursor' },
          ExpressionAttributeValues: {
            ':e': error.slice(0, 500),
            ':at': at,
            ':one': 1,
            ...(cursor === undefined ? {} : { ':c': cursor }),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Number(out.Attributes?.attempts ?? 0);
    } catch (e) {
      if (isConditionalCheckFailed(e)) return 0;
      return mapAwsError(e, 'recordFailure');
    }
  }

  // --- result feedback and checks ---

  async putFeedback(
    exchangeId: string,
    department: string,
    feedback: ExchangeFeedback,
  ): Promise<ExchangeRecord | undefined> {
    try {
      const out = await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.exchange(exchangeId),
          UpdateExpression: 'SET feedback = :f',
          ConditionExpression: 'attribute_exists(pk) AND department = :d AND attribute_not_exists(feedback)',
          ExpressionAttributeValues: { ':f': feedback, ':d': department },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return stripKeys<ExchangeRecord>(out.Attributes ?? {});
    } catch (error) {
      if (!isConditionalCheckFailed(error)) return mapAwsError(error, 'putFeedback');
      const record = await this.#t.get<ExchangeRecord>(keys.exchange(exchangeId), 'getExchangeRecord');
      return record && record.department === department ? record : undefined;
    }
  }

  async putCheck(check: RegistryCheck): Promise<RegistryCheck> {
    const created = await this.#t.putNew(
      {
        ...keys.check(check.checkId),
        itemType: 'check',
        gsi2pk: stationPartition(check.station),
        gsi2sk: `${CHECK_QUEUE_PREFIX}${check.openedAt}#${check.checkId}`,
        ...check,
      },
      'putCheck',
    );
    if (created) return check;
    return (await this.#t.get<RegistryCheck>(keys.check(check.checkId), 'getCheck')) ?? check;
  }

  async listStationChecks(station: string, options: { limit?: number } = {}): Promise<RegistryCheck[]> {
    const out = await this.#t.send('listStationChecks', () =>
      this.#doc.send(
        new QueryCommand({
          TableName: this.#table,
          IndexName: 'byOwner',
          KeyConditionExpression: 'gsi2pk = :p AND begins_with(gsi2sk, :c)',
          ExpressionAttributeValues: { ':p': stationPartition(station), ':c': CHECK_QUEUE_PREFIX },
          Limit: options.limit ?? 50,
        }),
      ),
    );
    return (out.Items ?? []).map((i) => stripKeys<RegistryCheck>(i));
  }
}
