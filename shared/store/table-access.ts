/**
 * The calls every adapter of certflow's one table makes the same way (dynamo-store.ts, dynamo-citizen.ts,
 * dynamo-accountability.ts, exchange-store.ts): document calls (lib-dynamodb commands) with one marshalling
 * policy, carried out on the plain client (plain-document.ts), AWS errors mapped to the store's errors
 * (errors.ts), put-if-absent, unconditional puts in batches, and a strongly consistent get.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed, mapAwsError } from './errors.ts';
import { stripKeys } from './keys.ts';
import { type DocumentCalls, MARSHALL_OPTIONS, plainDocumentCalls } from './plain-document.ts';

/** A document client with the store's marshalling policy (tools off the request path, e.g. local/expiry.ts). */
export function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: MARSHALL_OPTIONS });
}

/**
 * One table through document calls: a plain client is driven through `plainDocumentCalls` (marshalling
 * here, no lib-dynamodb middleware); a document client given as is keeps sending its own way.
 */
export class TableAccess {
  readonly doc: DocumentCalls;

  constructor(
    client: DynamoDBClient | DynamoDBDocumentClient,
    readonly table: string,
  ) {
    this.doc = client instanceof DynamoDBDocumentClient ? client : plainDocumentCalls(client);
  }

  /** Runs one call; an AWS error becomes the store's error (`mapAwsError`), named by `what`. */
  async send<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      return mapAwsError(error, what);
    }
  }

  /**
   * Put-if-absent (`attribute_not_exists(pk)`): true if written, false if an item with the key existed.
   * With `expiredBefore` (epoch seconds), an item whose `expiresAt` lies before it counts as absent too: TTL
   * deletes expired items only within days (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html).
   */
  async putNew(item: Record<string, unknown>, what: string, expiredBefore?: number): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          ...(expiredBefore === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
                ExpressionAttributeValues: { ':now': expiredBefore },
              }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      return mapAwsError(error, what);
    }
  }

  /**
   * Unconditional puts of `items` (each a whole item with its keys), as BatchWriteItem calls of at most 25
   * items (DynamoDB's limit); the items a call leaves unprocessed are sent again after 100, 200, 400…
   * (at most 1,000) ms until none is left. Idempotent items only (a BatchWriteItem has no condition); an
   * item appearing twice in one call is refused by DynamoDB (ValidationException), so pass distinct keys.
   * One call instead of one PutItem per item: on the local stack ≈ 0.3–0.4 ms of CPU saved per item
   * (bench/PERF-NOTES.md, round 4). Throws the store's error (`mapAwsError`), named by `what`.
   */
  async putAll(items: readonly Record<string, unknown>[], what: string): Promise<void> {
    for (let i = 0; i < items.length; i += 25) {
      let requests: Record<string, unknown>[] = items
        .slice(i, i + 25)
        .map((Item) => ({ PutRequest: { Item } }));
      for (let round = 0; requests.length > 0; round += 1) {
        if (round > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** round)));
        const out = await this.send(what, () =>
          this.doc.send(new BatchWriteCommand({ RequestItems: { [this.table]: requests as never } })),
        );
        requests = (out.UnprocessedItems?.[this.table] ?? []) as Record<string, unknown>[];
      }
    }
  }

  /** A strongly consistent GetItem, the item without its keys (`stripKeys`), or undefined. */
  async get<T>(key: { pk: string; sk: string }, what: string): Promise<T | undefined> {
    const out = await this.send(what, () =>
      this.doc.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true })),
    );
    return out.Item ? stripKeys<T>(out.Item) : undefined;
  }
}
