/**
 * plain-document.ts sends the store's lib-dynamodb commands as plain commands: the wire input must be what
 * DynamoDBDocumentClient (with the store's marshalling options) sends for the same command, and the output
 * must come back as documents. Both run against one mocked DynamoDBClient; the inputs it receives are compared.
 */
import {
  DynamoDBClient,
  GetItemCommand,
  QueryCommand as PlainQueryCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainDocumentCalls } from '#shared/store/plain-document.ts';
import { documentClient } from '#shared/store/table-access.ts';

const mockDynamo = () => mockClient(DynamoDBClient);
const TableName = 't';
const item = {
  pk: 'REQ#1',
  sk: 'REQUEST',
  version: 3,
  empty: '',
  gone: undefined,
  subject: { name: '黄小雨', tags: ['a', 'b'], nested: { n: 1.5, none: undefined } },
  list: [1, 'x', { y: true }],
  nothing: null,
};
const key = { pk: 'REQ#1', sk: 'REQUEST' };

/** A client that records each request's JSON body and answers `{}` (nothing leaves the process). */
function recordingClient(bodies: unknown[]): DynamoDBClient {
  return new DynamoDBClient({
    region: 'cn-north-1',
    endpoint: 'http://127.0.0.1:1',
    credentials: { accessKeyId: 'k', secretAccessKey: 's' },
    maxAttempts: 1,
    requestHandler: {
      async handle(request: { headers: Record<string, string>; body: string | Uint8Array }) {
        const b = request.body;
        bodies.push({
          target: request.headers['x-amz-target'],
          body: JSON.parse(
            typeof b === 'string' ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString(),
          ),
        });
        return { response: { statusCode: 200, headers: {}, body: new TextEncoder().encode('{}') } };
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
      destroy() {},
    } as never,
  });
}

describe('plain-document: the same wire requests as the document client', () => {
  const cases: [string, () => object][] = [
    [
      'Put with a condition and values',
      () =>
        new PutCommand({
          TableName,
          Item: item,
          ConditionExpression: '#v = :v',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':v': 2 },
        }),
    ],
    ['Get', () => new GetCommand({ TableName, Key: key, ConsistentRead: true })],
    [
      'Query with a start key',
      () =>
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'gsi1pk = :p',
          ExpressionAttributeValues: { ':p': 'STATUS#ISSUED' },
          ExclusiveStartKey: key,
          Limit: 5,
        }),
    ],
    [
      'Update',
      () =>
        new UpdateCommand({
          TableName,
          Key: key,
          UpdateExpression: 'ADD #a :one SET #b = :b',
          ExpressionAttributeNames: { '#a': 'n', '#b': 'b' },
          ExpressionAttributeValues: { ':one': 1, ':b': { x: [1, 2] } },
          ReturnValues: 'ALL_NEW',
        }),
    ],
    ['Delete', () => new DeleteCommand({ TableName, Key: key })],
    [
      'Scan',
      () =>
        new ScanCommand({
          TableName,
          FilterExpression: '#e < :now',
          ExpressionAttributeNames: { '#e': 'expiresAt' },
          ExpressionAttributeValues: { ':now': 100 },
        }),
    ],
    [
      'BatchGet',
      () =>
        new BatchGetCommand({
          RequestItems: {
            [TableName]: { Keys: [key, { pk: 'REQ#2', sk: 'REQUEST' }], ConsistentRead: true },
          },
        }),
    ],
    [
      'BatchWrite',
      () =>
        new BatchWriteCommand({
          RequestItems: { [TableName]: [{ PutRequest: { Item: item } }, { DeleteRequest: { Key: key } }] },
        }),
    ],
  ];
  // Every plain call first: once a DynamoDBDocumentClient has sent anything, plain commands in the same
  // process are marshalled again by lib-dynamodb (found in round 3, bench/PERF-NOTES.md), so the store
  // never mixes the two and this test sends all plain requests before any document one.
  const viaPlain: unknown[] = [];
  const viaDocument: unknown[] = [];
  beforeAll(async () => {
    for (const [, command] of cases)
      await plainDocumentCalls(recordingClient(viaPlain)).send(command() as never);
    for (const [, command] of cases)
      await documentClient(recordingClient(viaDocument)).send(command() as never);
  });
  for (const [i, [name]] of cases.entries()) {
    it(name, () => {
      expect(viaPlain).toHaveLength(cases.length);
      expect(viaPlain[i]).toEqual(viaDocument[i]);
      expect(JSON.stringify(viaPlain[i])).toMatch(/"[SN]":/);
    });
  }
});

describe('plain-document: documents back', () => {
  let raw: ReturnType<typeof mockDynamo>;
  beforeAll(() => {
    raw = mockDynamo();
  });
  afterAll(() => raw.restore());
  it('unmarshals Item, Items, LastEvaluatedKey and Attributes; errors pass through as thrown', async () => {
    raw.on(GetItemCommand).resolves({ Item: marshall({ ...key, n: 2, m: { a: ['x'] } }) });
    raw.on(PlainQueryCommand).resolves({
      Items: [marshall({ a: 1 }), marshall({ b: 'c' })],
      LastEvaluatedKey: marshall(key),
      Count: 2,
    });
    raw.on(UpdateItemCommand).resolves({ Attributes: marshall({ n: 3 }) });
    raw
      .on(PutItemCommand)
      .rejects(Object.assign(new Error('held'), { name: 'ConditionalCheckFailedException' }));
    const calls = plainDocumentCalls(new DynamoDBClient({ region: 'cn-north-1' }));
    expect((await calls.send(new GetCommand({ TableName, Key: key }))).Item).toEqual({
      ...key,
      n: 2,
      m: { a: ['x'] },
    });
    const page = await calls.send(new QueryCommand({ TableName, KeyConditionExpression: 'pk = :p' }));
    expect(page).toMatchObject({ Items: [{ a: 1 }, { b: 'c' }], LastEvaluatedKey: key, Count: 2 });
    expect(
      (await calls.send(new UpdateCommand({ TableName, Key: key, UpdateExpression: 'ADD n :1' }))).Attributes,
    ).toEqual({ n: 3 });
    await expect(calls.send(new PutCommand({ TableName, Item: key }))).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
    });
  });

  it('a command it does not carry is a TypeError, not a silent pass-through', async () => {
    const { TransactWriteCommand } = await import('@aws-sdk/lib-dynamodb');
    const calls = plainDocumentCalls(new DynamoDBClient({ region: 'cn-north-1' }));
    await expect(calls.send(new TransactWriteCommand({ TransactItems: [] }))).rejects.toThrow(TypeError);
  });
});
