/**
 * The calls every adapter of certflow's one table makes the same way (dynamo-store.ts, dynamo-citizen.ts,
 * dynamo-accountability.ts, exchange-store.ts): one document client with one marshalling policy, AWS
 * errors mapped to the store's errors (errors.ts), put-if-absent, and a strongly consistent get.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed, mapAwsError } from './errors.ts';
import { stripKeys } from './keys.ts';

/** The document client of the store: `undefined` attributes dropped, empty strings kept as they are. */
export function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
}

/** One table through one document client (a plain client is wrapped with `documentClient`). */
export class TableAccess {
  readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient | DynamoDBDocumentClient,
    readonly table: string,
  ) {
    this.doc = client instanceof DynamoDBDocumentClient ? client : documentClient(client);
  }

  /** Runs one call; an AWS error becomes the store's error (`mapAwsError`), named by `what`. */
  async send<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      return mapAwsError(error, what);
    }
  }

  /** Put-if-absent (`attribute_not_exists(pk)`): true if written, false if an item with the key existed. */
  async putNew(item: Record<string, unknown>, what: string): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      return mapAwsError(error, what);
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
