/**
 * Item-level DynamoDB calls on the plain `@aws-sdk/client-dynamodb` client, with `@aws-sdk/util-dynamodb`
 * marshalling: inputs and outputs in plain JavaScript values, as the document client (`lib-dynamodb`) takes
 * and gives them, without its per-command wrapping (its commands rebuild their middleware chain on every
 * call; the plain client can cache it, `cacheMiddleware`). bench/workflow/store-clients.ts measures both.
 *
 * Marshalling as the store's document client did: `removeUndefinedValues: true` (an undefined attribute is
 * left out), `convertEmptyValues: false`; numbers come back as JavaScript numbers. Errors are the SDK's own
 * (e.g. `ConditionalCheckFailedException`), unchanged.
 */
import {
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

/** A plain-value item or key, e.g. `{ pk: 'REQ#…', sk: 'REQUEST', version: 3 }`. */
export type Item = Record<string, unknown>;

type NativeAttributeMap = Parameters<typeof unmarshall>[0];

const toAttributes = (value: Item) =>
  marshall(value, { removeUndefinedValues: true, convertEmptyValues: false });
const maybe = (value: Item | undefined) => (value === undefined ? undefined : toAttributes(value));
const fromAttributes = (value: NativeAttributeMap | undefined): Item | undefined =>
  value === undefined ? undefined : unmarshall(value);

interface Conditions {
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Item;
}

export interface QueryInput {
  TableName: string;
  IndexName?: string;
  KeyConditionExpression: string;
  ExpressionAttributeValues: Item;
  ProjectionExpression?: string;
  ConsistentRead?: boolean;
  ScanIndexForward?: boolean;
  Limit?: number;
  ExclusiveStartKey?: Item | undefined;
}

export class DynamoItems {
  constructor(private readonly client: DynamoDBClient) {}

  /** PutItem; resolves when written. */
  async put(input: { TableName: string; Item: Item } & Conditions): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        ...input,
        Item: toAttributes(input.Item),
        ExpressionAttributeValues: maybe(input.ExpressionAttributeValues),
      }),
    );
  }

  /** GetItem → `{ Item }` (undefined if absent). */
  async get(input: { TableName: string; Key: Item; ConsistentRead?: boolean }): Promise<{ Item?: Item }> {
    const out = await this.client.send(new GetItemCommand({ ...input, Key: toAttributes(input.Key) }));
    return { Item: fromAttributes(out.Item) };
  }

  /** Query → `{ Items, LastEvaluatedKey }` in plain values. */
  async query(input: QueryInput): Promise<{ Items: Item[]; LastEvaluatedKey?: Item }> {
    const out = await this.client.send(
      new QueryCommand({
        ...input,
        ExpressionAttributeValues: toAttributes(input.ExpressionAttributeValues),
        ExclusiveStartKey: maybe(input.ExclusiveStartKey),
      }),
    );
    return {
      Items: (out.Items ?? []).map((i) => unmarshall(i)),
      LastEvaluatedKey: fromAttributes(out.LastEvaluatedKey),
    };
  }

  /** DeleteItem. */
  async delete(input: { TableName: string; Key: Item } & Conditions): Promise<void> {
    await this.client.send(
      new DeleteItemCommand({
        ...input,
        Key: toAttributes(input.Key),
        ExpressionAttributeValues: maybe(input.ExpressionAttributeValues),
      }),
    );
  }

  /** UpdateItem (no return values). */
  async update(
    input: { TableName: string; Key: Item; UpdateExpression: string } & Conditions,
  ): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        ...input,
        Key: toAttributes(input.Key),
        ExpressionAttributeValues: maybe(input.ExpressionAttributeValues),
      }),
    );
  }
}
