/**
 * The local stack's own SDK clients (local/dynamodb-inprocess.ts): real AWS SDK v3 commands against
 * dynalite in memory, without SigV4 or retries — nothing signs the request; the in-process transport
 * gives it the fixed Authorization header dynalite requires (dynalite refuses a request without one, so
 * an answer proves it). A client of the same dynalite over HTTP signs as on AWS.
 * Both ways dynalite runs: in its worker thread (the stack's default) and on the main thread.
 */
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dynamodbService from '#local/dynamodb.ts';
import { NETWORK_ONLY_MIDDLEWARE } from '#local/dynamodb-inprocess.ts';
import { localSfnClient } from '#local/workflow-service.ts';

type Client = dynamodbService.LocalDynamo['client'];

/** Records the Authorization header of each request the client sends (after signing). */
function authorizationHeaders(client: Client): string[] {
  const seen: string[] = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      seen.push((args.request as { headers: Record<string, string> }).headers.authorization ?? '');
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'recordAuthorization' },
  );
  return seen;
}

describe.each([
  { where: 'in a worker thread', thread: true },
  { where: 'on the main thread', thread: false },
])('in-process SDK clients of the local stack, dynalite $where', ({ thread }) => {
  let dynamo: dynamodbService.LocalDynamo;
  beforeAll(async () => {
    dynamo = await dynamodbService.start({ port: 0, thread });
  });
  afterAll(async () => {
    await dynamo?.end();
  });

  it('write and read dynalite without SigV4 signing or retries', async () => {
    for (const name of NETWORK_ONLY_MIDDLEWARE)
      for (const client of [dynamo.client, dynamo.rawClient])
        expect(client.middlewareStack.identify().join('\n')).not.toContain(name);
    const seen = authorizationHeaders(dynamo.rawClient);
    const Key = { pk: { S: 'perf#1' }, sk: { S: 'x' } };
    await dynamo.rawClient.send(
      new PutItemCommand({ TableName: dynamo.tableName, Item: { ...Key, n: { N: '7' } } }),
    );
    const out = await dynamo.rawClient.send(
      new GetItemCommand({ TableName: dynamo.tableName, Key, ConsistentRead: true }),
    );
    expect(out.Item?.n).toEqual({ N: '7' });
    // Nothing signed before the transport; dynalite answered, so the transport's header was there.
    expect(seen).toEqual(['', '']);
  });

  it('the in-process Step Functions client keeps its retries (the service answers a reload with 500), nothing else network-only', () => {
    const sfn = localSfnClient('http://127.0.0.1:1', {
      engine: {} as never,
      logger: { error: () => {} } as never,
    });
    const stack = sfn.middlewareStack.identify().join('\n');
    expect(stack).toContain('retryMiddleware');
    for (const name of NETWORK_ONLY_MIDDLEWARE.filter((n) => n !== 'retryMiddleware'))
      expect(stack).not.toContain(name);
  });

  it('a client over HTTP still signs with SigV4', async () => {
    const http = dynamodbService.localDynamoClient(dynamo.url);
    try {
      const seen = authorizationHeaders(http);
      const out = await http.send(
        new GetItemCommand({ TableName: dynamo.tableName, Key: { pk: { S: 'none' }, sk: { S: 'x' } } }),
      );
      expect(out.Item).toBeUndefined();
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatch(
        /^AWS4-HMAC-SHA256 Credential=local\/\d{8}\/cn-north-1\/dynamodb\/aws4_request/,
      );
      expect(seen[0]).toMatch(/Signature=[0-9a-f]{64}$/);
    } finally {
      http.destroy();
    }
  });
});
