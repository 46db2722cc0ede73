/**
 * The local dynamodb:LeadingKeys (local/key-guard.ts) over the real SDK on dynalite: a function's calls on
 * keys outside its `access.keys` are refused as IAM would refuse them; calls outside any invocation, and
 * functions without a list, are not checked; a call outside the function's table actions is refused; the
 * key prefixes each function touched are recorded.
 */
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, start } from '#local/dynamodb.ts';
import {
  dynamodbActionOf,
  guardLeadingKeys,
  invokingFunction,
  leadingKeysOf,
  leadingPrefix,
  stringLike,
} from '#local/key-guard.ts';
import { STATUS_INDEX } from '#shared/store/table-definition.ts';

let dynamo: LocalDynamo;
let doc: DynamoDBDocumentClient;
let used: Map<string, Set<string>>;

beforeAll(async () => {
  dynamo = await start({ tableName: 'certflow-keyguard' });
  ({ used } = guardLeadingKeys(
    dynamo.client,
    (fn) => (fn === 'VerifyCertificate' ? ['CERT#*'] : undefined),
    (fn) => (fn === 'VerifyCertificate' ? ['dynamodb:GetItem', 'dynamodb:Query'] : undefined),
  ));
  doc = DynamoDBDocumentClient.from(dynamo.client);
  await doc.send(new PutCommand({ TableName: dynamo.tableName, Item: { pk: 'CERT#JL-1', sk: 'CERT' } }));
  await doc.send(new PutCommand({ TableName: dynamo.tableName, Item: { pk: 'REQ#R1', sk: 'REQUEST' } }));
}, 30_000);
afterAll(async () => {
  await dynamo?.end();
});

const as = <T>(fn: string, run: () => Promise<T>) => invokingFunction.run(fn, run);
const get = (pk: string, sk: string) =>
  doc.send(new GetCommand({ TableName: dynamo.tableName, Key: { pk, sk } }));

describe('stringLike (IAM)', () => {
  it('matches * and ? and nothing else', () => {
    expect(stringLike('CERT#*', 'CERT#JL-1')).toBe(true);
    expect(stringLike('CERT#*', 'REQ#R1')).toBe(false);
    expect(stringLike('RATINGS', 'RATINGS')).toBe(true);
    expect(stringLike('RATINGS', 'RATINGS#x')).toBe(false);
    expect(stringLike('A.B', 'AxB')).toBe(false);
    expect(stringLike('COUNT#STATUS#?', 'COUNT#STATUS#3')).toBe(true);
    // The expression is cached per pattern: the same pattern answers each value afresh.
    expect(stringLike('CERT#*', 'REQ#R1')).toBe(false);
    expect(stringLike('CERT#*', 'CERT#2')).toBe(true);
  });

  it('names a command as IAM names its action, and a key by its prefix', () => {
    expect(dynamodbActionOf('PutItemCommand')).toBe('dynamodb:PutItem');
    expect(dynamodbActionOf('PutCommand')).toBe('dynamodb:PutItem');
    expect(dynamodbActionOf('BatchWriteItemCommand')).toBe('dynamodb:BatchWriteItem');
    expect(dynamodbActionOf('BatchWriteCommand')).toBe('dynamodb:BatchWriteItem');
    expect(dynamodbActionOf('QueryCommand')).toBe('dynamodb:Query');
    expect(leadingPrefix('REQ#R1#x')).toBe('REQ#');
    expect(leadingPrefix('RATINGS')).toBe('RATINGS');
  });
});

describe('leadingKeysOf', () => {
  it('names the partition keys of item calls, batches and queries (the index key on an index)', () => {
    expect(leadingKeysOf('GetItemCommand', { Key: { pk: { S: 'A#1' }, sk: { S: 'x' } } })).toEqual(['A#1']);
    expect(leadingKeysOf('PutCommand', { Item: { pk: 'B#2', sk: 'y' } })).toEqual(['B#2']);
    expect(
      leadingKeysOf('QueryCommand', {
        IndexName: STATUS_INDEX,
        KeyConditionExpression: '#k = :p AND gsi1sk > :s',
        ExpressionAttributeNames: { '#k': 'gsi1pk' },
        ExpressionAttributeValues: { ':p': 'STATUS#INVESTIGATING#3', ':s': '2026' },
      }),
    ).toEqual(['STATUS#INVESTIGATING#3']);
    expect(
      leadingKeysOf('BatchWriteItemCommand', {
        RequestItems: {
          t: [
            { PutRequest: { Item: { pk: { S: 'FEED#A' } } } },
            { DeleteRequest: { Key: { pk: { S: 'FEED#B' } } } },
          ],
        },
      }),
    ).toEqual(['FEED#A', 'FEED#B']);
    expect(leadingKeysOf('ScanCommand', { TableName: 't' })).toBeUndefined();
  });
});

describe('the guard', () => {
  it("refuses a listed function's calls outside its prefixes, as AccessDeniedException", async () => {
    expect((await as('VerifyCertificate', () => get('CERT#JL-1', 'CERT'))).Item).toBeDefined();
    await expect(as('VerifyCertificate', () => get('REQ#R1', 'REQUEST'))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('REQ#R1'),
    });
    await expect(
      as('VerifyCertificate', () => doc.send(new ScanCommand({ TableName: dynamo.tableName }))),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(
      as('VerifyCertificate', () =>
        doc.send(
          new QueryCommand({
            TableName: dynamo.tableName,
            KeyConditionExpression: 'pk = :p',
            ExpressionAttributeValues: { ':p': 'REQ#R1' },
          }),
        ),
      ),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it("refuses a call outside the function's table actions, as AccessDeniedException", async () => {
    await expect(
      as('VerifyCertificate', () =>
        doc.send(new PutCommand({ TableName: dynamo.tableName, Item: { pk: 'CERT#JL-2', sk: 'CERT' } })),
      ),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('dynamodb:PutItem'),
    });
    expect((await get('CERT#JL-2', 'CERT')).Item).toBeUndefined();
  });

  it('leaves unlisted functions and calls outside invocations alone, and records what they touched', async () => {
    expect((await as('GetRequest', () => get('REQ#R1', 'REQUEST'))).Item).toBeDefined();
    expect((await get('REQ#R1', 'REQUEST')).Item).toBeDefined();
    // Prefixes, not values: the record stays small however many requests the stack serves.
    expect([...(used.get('GetRequest') ?? [])]).toEqual(['REQ#']);
    expect(used.get('VerifyCertificate')?.has('CERT#')).toBe(true);
  });
});
