/**
 * Durable store on DynamoDB (dynalite locally), in the service's own table (see execution-table.ts).
 * (See also commitExecution: an execution that goes idle moves its history to a chunk first.)
 *
 * A commit is ONE conditional PutItem of the execution record (`v = expected`), carrying the new
 * history events in the record itself (attribute `p`, "pending"). History is moved out of the record
 * into chunk items (`E#<first id>`) now and then (when the execution ends or goes idle, or `p` grows):
 * the chunk is written with the same events (idempotent), and the next commit, which waits for that
 * write, drops them from `p`. A crash between the two loses nothing: the record still holds them and
 * readers merge chunks and `p` by event id. No TransactWriteItems needed (dynalite has none).
 */
import { createHash } from 'node:crypto';
import {
  type AttributeValue,
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  ResourceNotFoundException,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { ConcurrentWriteError } from './errors.ts';
import type {
  ExecutionRecord,
  ExecutionStatus,
  ExecutionStore,
  HistoryEvent,
  Page,
  StateMachineRecord,
} from './execution-store.ts';
import { stepFunctionsCreateTableInput } from './execution-table.ts';

const S = (value: string): AttributeValue => ({ S: value });
const N = (value: number): AttributeValue => ({ N: String(value) });
const FLUSH_AT = 24;
/**
 * DynamoDB (and dynalite) refuse items over 400 KB. A record, its pending events or a history chunk
 * larger than SPILL_AT bytes is written first as content-addressed parts (`B#<sha256>`, PART bytes
 * each, immutable, so writing them again is harmless) and the item holds a reference `{ blob, n }`.
 * Executions stay within the 256 KiB payload quotas, but a snapshot holds several payloads (input,
 * variables, a Map's items) and history events carry inputs and outputs.
 */
const SPILL_AT = 96 * 1024;
const PART = 300 * 1024;

function pad(id: number): string {
  return String(id).padStart(10, '0');
}

function encodeKey(key: Record<string, AttributeValue> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

function decodeKey(token: string | undefined): Record<string, AttributeValue> | undefined {
  if (!token) return undefined;
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Record<string, AttributeValue>;
  } catch {
    return undefined;
  }
}

export class DynamoExecutionStore implements ExecutionStore {
  readonly #unflushed = new Map<string, HistoryEvent[]>();
  readonly #flushing = new Map<string, Promise<void>>();

  constructor(
    readonly client: DynamoDBClient,
    readonly tableName: string,
  ) {}

  async init(): Promise<void> {
    try {
      const d = await this.client.send(new DescribeTableCommand({ TableName: this.tableName }));
      if (d.Table?.TableStatus === 'ACTIVE') return;
    } catch (error) {
      if (
        !(error instanceof ResourceNotFoundException) &&
        (error as Error).name !== 'ResourceNotFoundException'
      )
        throw error;
      try {
        await this.client.send(new CreateTableCommand(stepFunctionsCreateTableInput(this.tableName)));
      } catch (e) {
        if ((e as Error).name !== 'ResourceInUseException') throw e;
      }
    }
    for (let i = 0; i < 600; i++) {
      const d = await this.client.send(new DescribeTableCommand({ TableName: this.tableName }));
      if (d.Table?.TableStatus === 'ACTIVE') return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`table ${this.tableName} did not become ACTIVE`);
  }

  async close(): Promise<void> {
    await Promise.all([...this.#flushing.values()].map((p) => p.catch(() => {})));
  }

  // ---- state machines and definitions -------------------------------------------------------------

  async putStateMachine(record: StateMachineRecord, mode: 'create' | 'replace'): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            pk: S(`M#${record.stateMachineArn}`),
            sk: S('M'),
            gsi1pk: S('SM'),
            gsi1sk: S(record.name),
            d: S(JSON.stringify(record)),
          },
          ...(mode === 'create' ? { ConditionExpression: 'attribute_not_exists(pk)' } : {}),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new ConcurrentWriteError('state machine exists');
      throw error;
    }
  }

  async getStateMachine(arn: string): Promise<StateMachineRecord | undefined> {
    const r = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: { pk: S(`M#${arn}`), sk: S('M') },
        ConsistentRead: true,
      }),
    );
    return r.Item?.d?.S ? (JSON.parse(r.Item.d.S) as StateMachineRecord) : undefined;
  }

  async listStateMachines(limit: number, nextToken?: string): Promise<Page<StateMachineRecord>> {
    const r = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'byParent',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': S('SM') },
        Limit: limit,
        ExclusiveStartKey: decodeKey(nextToken),
      }),
    );
    const token = encodeKey(r.LastEvaluatedKey);
    return {
      items: (r.Items ?? []).map((i) => JSON.parse(i.d!.S!) as StateMachineRecord),
      ...(token ? { nextToken: token } : {}),
    };
  }

  async putDefinition(definitionId: string, definition: string): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: { pk: S(`D#${definitionId}`), sk: S('D'), d: S(definition) },
      }),
    );
  }

  async getDefinition(definitionId: string): Promise<string | undefined> {
    const r = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: { pk: S(`D#${definitionId}`), sk: S('D') },
        ConsistentRead: true,
      }),
    );
    return r.Item?.d?.S;
  }

  // ---- executions ---------------------------------------------------------------------------------

  /**
   * `open`: the item is in the sparse `open` index (gsi2). A RUNNING record always is; a record that ends
   * an execution stays in it until a second write takes it out (see commitExecution).
   */
  async #item(
    record: ExecutionRecord,
    pending: readonly HistoryEvent[],
    open = record.status === 'RUNNING',
  ): Promise<Record<string, AttributeValue>> {
    const item: Record<string, AttributeValue> = {
      pk: S(`X#${record.executionArn}`),
      sk: S('H'),
      v: N(record.version),
      st: S(record.status),
      r: await this.#spill(JSON.stringify(record)),
      p: await this.#spill(JSON.stringify(pending)),
      gsi1pk: S(`L#${record.stateMachineArn}`),
      gsi1sk: S(`${pad(record.startDate)}#${record.name}`),
    };
    if (open) {
      item.gsi2pk = S('OPEN');
      item.gsi2sk = S(record.executionArn);
    }
    return item;
  }

  /** A string attribute, or (when large) a reference to parts written first. See SPILL_AT. */
  async #spill(text: string): Promise<AttributeValue> {
    if (text.length <= SPILL_AT / 3 || Buffer.byteLength(text) <= SPILL_AT) return S(text);
    const bytes = Buffer.from(text);
    const blob = createHash('sha256').update(bytes).digest('hex');
    const n = Math.ceil(bytes.length / PART);
    for (let i = 0; i < n; i++)
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { pk: S(`B#${blob}`), sk: S(pad(i)), b: { B: bytes.subarray(i * PART, (i + 1) * PART) } },
        }),
      );
    return { M: { blob: S(blob), n: N(n) } };
  }

  /** The text of an attribute written by #spill (reads the parts of a reference). */
  async #unspill(value: AttributeValue | undefined, empty = ''): Promise<string> {
    if (value === undefined) return empty;
    if (value.S !== undefined) return value.S;
    const blob = value.M?.blob?.S;
    const n = Number(value.M?.n?.N);
    if (!blob || !Number.isInteger(n)) throw new Error('stepfunctions store: unreadable attribute');
    const parts: Uint8Array[] = [];
    for await (const item of this.#partition(`B#${blob}`)) if (item.b?.B) parts.push(item.b.B);
    if (parts.length !== n)
      throw new Error(`stepfunctions store: blob ${blob} has ${parts.length} of ${n} parts`);
    return Buffer.concat(parts).toString('utf8');
  }

  /** Every item of one partition key, in sort-key order (consistent reads, all pages). */
  async *#partition(pk: string): AsyncIterable<Record<string, AttributeValue>> {
    let start: Record<string, AttributeValue> | undefined;
    do {
      const r = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': S(pk) },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      yield* r.Items ?? [];
      start = r.LastEvaluatedKey;
    } while (start);
  }

  async createExecution(record: ExecutionRecord, events: readonly HistoryEvent[]): Promise<void> {
    const chunkFirst = record.status !== 'RUNNING';
    if (chunkFirst) await this.#putChunk(record.executionArn, events);
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: await this.#item(record, chunkFirst ? [] : events),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new ConcurrentWriteError('execution exists');
      throw error;
    }
    if (!chunkFirst) this.#unflushed.set(record.executionArn, [...events]);
  }

  async commitExecution(
    record: ExecutionRecord,
    expectedVersion: number,
    events: readonly HistoryEvent[],
    idle: boolean,
  ): Promise<void> {
    const arn = record.executionArn;
    const flushing = this.#flushing.get(arn);
    if (flushing) await flushing.catch(() => {});
    const pending = [...(this.#unflushed.get(arn) ?? []), ...events];
    // An execution that ends or goes idle (waits for a callback or a timer, perhaps for days) moves its
    // history out first, so that its record — and this process's memory — hold none while it waits.
    // Should the record write then fail, the chunk's extra events lie beyond the record's nextEventId,
    // and readers ignore them (they are overwritten when the transition is run again).
    const ended = record.status !== 'RUNNING';
    const chunkFirst = (idle || ended) && pending.length > 0;
    if (chunkFirst) await this.#putChunk(arn, pending);
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          // The record that ends the execution stays in the `open` index: dynalite updates its indexes
          // before the item, so dropping the index entry in this write could, if the process died
          // between the two, leave a RUNNING record that no restart finds. It leaves the index next.
          Item: await this.#item(record, chunkFirst ? [] : pending, true),
          ConditionExpression: 'v = :v',
          ExpressionAttributeValues: { ':v': N(expectedVersion) },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new ConcurrentWriteError(`execution ${arn} is not at version ${expectedVersion}`);
      throw error;
    }
    if (ended) await this.#leaveOpenIndex(arn, record.version);
    if (chunkFirst) {
      this.#unflushed.delete(arn);
      return;
    }
    this.#unflushed.set(arn, pending);
    // A busy execution: one write per transition; its history moves out every FLUSH_AT events.
    if (pending.length >= FLUSH_AT) this.#flush(arn);
  }

  /**
   * Takes an ended execution's record out of the `open` index (if it is still at `version`). A failure
   * is left for the next start, which reads the record, sees it ended and tries again.
   */
  async #leaveOpenIndex(arn: string, version: number): Promise<void> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: S(`X#${arn}`), sk: S('H') },
          UpdateExpression: 'REMOVE gsi2pk, gsi2sk',
          ConditionExpression: 'v = :v',
          ExpressionAttributeValues: { ':v': N(version) },
        }),
      );
    } catch {
      // left for the next start (listOpenExecutions)
    }
  }

  async #putChunk(arn: string, events: readonly HistoryEvent[]): Promise<unknown> {
    return this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          pk: S(`X#${arn}`),
          sk: S(`E#${pad(events[0]!.id)}`),
          e: await this.#spill(JSON.stringify(events)),
        },
      }),
    );
  }

  /** Writes the record's pending events as a chunk item; the next commit then leaves them out. */
  #flush(arn: string): void {
    const batch = this.#unflushed.get(arn);
    if (!batch || batch.length === 0 || this.#flushing.has(arn)) return;
    const work = this.#putChunk(arn, batch)
      .then(() => {
        const now = this.#unflushed.get(arn) ?? [];
        const rest = now.slice(batch.length);
        if (rest.length === 0) this.#unflushed.delete(arn);
        else this.#unflushed.set(arn, rest);
      })
      .finally(() => this.#flushing.delete(arn));
    this.#flushing.set(arn, work);
    work.catch(() => {});
  }

  async #parseHead(item: Record<string, AttributeValue>): Promise<ExecutionRecord> {
    return JSON.parse(await this.#unspill(item.r)) as ExecutionRecord;
  }

  async #pending(item: Record<string, AttributeValue>): Promise<HistoryEvent[]> {
    return JSON.parse(await this.#unspill(item.p, '[]')) as HistoryEvent[];
  }

  async getExecution(arn: string): Promise<ExecutionRecord | undefined> {
    const r = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: { pk: S(`X#${arn}`), sk: S('H') },
        ConsistentRead: true,
      }),
    );
    return r.Item ? await this.#parseHead(r.Item) : undefined;
  }

  async listExecutions(
    stateMachineArn: string,
    status: ExecutionStatus | undefined,
    limit: number,
    nextToken?: string,
  ): Promise<Page<ExecutionRecord>> {
    const input: QueryCommandInput = {
      TableName: this.tableName,
      IndexName: 'byParent',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': S(`L#${stateMachineArn}`), ...(status ? { ':s': S(status) } : {}) },
      ...(status ? { FilterExpression: 'st = :s' } : {}),
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: decodeKey(nextToken),
    };
    const r = await this.client.send(new QueryCommand(input));
    const token = encodeKey(r.LastEvaluatedKey);
    const items = await Promise.all((r.Items ?? []).map((i) => this.#parseHead(i)));
    return { items, ...(token ? { nextToken: token } : {}) };
  }

  /**
   * Chunks, then the record's pending events (which win for an id in both), up to the record's
   * nextEventId: events beyond it belong to a transition that was never recorded.
   */
  async getHistory(arn: string): Promise<HistoryEvent[]> {
    const byId = new Map<number, HistoryEvent>();
    let head: Record<string, AttributeValue> | undefined;
    for await (const item of this.#partition(`X#${arn}`)) {
      if (item.sk?.S === 'H') head = item;
      else if (item.e)
        for (const e of JSON.parse(await this.#unspill(item.e)) as HistoryEvent[]) byId.set(e.id, e);
    }
    if (!head) return [];
    for (const e of await this.#pending(head)) byId.set(e.id, e);
    const limit = (await this.#parseHead(head)).nextEventId;
    return [...byId.values()].filter((e) => e.id < limit).sort((a, b) => a.id - b.id);
  }

  /**
   * The `open` index only says which executions to look at: dynalite writes an item's index entries
   * before the item, so after a crash an entry may hold a newer record than the item (a write that never
   * happened) — resuming from it would expect the wrong version. Each record is read from the item.
   */
  async *listOpenExecutions(): AsyncIterable<ExecutionRecord> {
    let start: Record<string, AttributeValue> | undefined;
    do {
      const r = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'open',
          KeyConditionExpression: 'gsi2pk = :o',
          ExpressionAttributeValues: { ':o': S('OPEN') },
          ProjectionExpression: 'pk, sk, gsi2pk, gsi2sk',
          ExclusiveStartKey: start,
        }),
      );
      const arns = (r.Items ?? []).flatMap((item) => (item.gsi2sk?.S ? [item.gsi2sk.S] : []));
      for (let i = 0; i < arns.length; i += 100)
        for (const item of await this.#getRecords(arns.slice(i, i + 100))) {
          const record = await this.#parseHead(item);
          if (record.status !== 'RUNNING') {
            // it ended; the write that takes it out of the index did not happen
            await this.#leaveOpenIndex(record.executionArn, record.version);
            continue;
          }
          const pending = await this.#pending(item);
          if (pending.length > 0) this.#unflushed.set(record.executionArn, pending);
          else this.#unflushed.delete(record.executionArn);
          yield record;
        }
      start = r.LastEvaluatedKey;
    } while (start);
  }

  /** The execution items of up to 100 ARNs, consistent reads (BatchGetItem, unprocessed keys retried). */
  async #getRecords(arns: readonly string[]): Promise<Record<string, AttributeValue>[]> {
    const items: Record<string, AttributeValue>[] = [];
    let keys: Record<string, AttributeValue>[] = arns.map((arn) => ({ pk: S(`X#${arn}`), sk: S('H') }));
    for (let attempt = 0; keys.length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
      const r = await this.client.send(
        new BatchGetItemCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }),
      );
      items.push(...(r.Responses?.[this.tableName] ?? []));
      keys = r.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
    }
    return items;
  }

  async loadExecution(arn: string): Promise<ExecutionRecord | undefined> {
    const flushing = this.#flushing.get(arn);
    if (flushing) await flushing.catch(() => {});
    const r = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: { pk: S(`X#${arn}`), sk: S('H') },
        ConsistentRead: true,
      }),
    );
    this.#unflushed.delete(arn);
    if (!r.Item) return undefined;
    const record = await this.#parseHead(r.Item);
    const pending = await this.#pending(r.Item);
    if (record.status === 'RUNNING' && pending.length > 0) this.#unflushed.set(arn, pending);
    return record;
  }
}
