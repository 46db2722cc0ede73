/**
 * Intake. Failure paths that are hard to provoke for real (aws-sdk-client-mock on the real adapters):
 * throttled DynamoDB, failing StartExecution. Outcomes (in-memory store and workflow doubles): what is
 * stored and started.
 */

import { ConditionalCheckFailedException, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createHandler } from '#functions/http/intake.ts';
import { demoScenarios } from '#local/demo/demo-scenarios.ts';
import { mockDocumentCalls } from '#tests/helpers/document-mock.ts';
import { awsError, context, httpEvent, memoryDeps, testDeps } from './helpers.ts';

const raw = mockClient(DynamoDBClient);
const ddb = mockDocumentCalls(raw);
const sfn = mockClient(SFNClient);

afterEach(() => {
  ddb.reset();
  raw.reset();
  sfn.reset();
});

/** The puts other than Powertools' idempotency record (sk IDEM): the store's writes. */
const storePuts = () => ddb.commandCalls(PutCommand).filter((c) => c.args[0].input.Item?.sk !== 'IDEM');

const body = demoScenarios.find((s) => s.id === 'name-change')!.body;
const event = (headers: Record<string, string> = {}) =>
  httpEvent('POST', '/v1/requests', 'POST /v1/requests', { body, headers });

describe('intake', () => {
  it('accepts the request when StartExecution is throttled: it is stored RECEIVED for the sweeper to start', async () => {
    // Prepare
    ddb.on(PutCommand).resolves({});
    ddb.on(BatchWriteCommand).resolves({});
    sfn.on(StartExecutionCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    const handler = createHandler(testDeps());
    // Act
    const result = (await handler(event(), context())) as { statusCode: number; body: string };
    // Assess
    expect(result.statusCode).toBe(202);
    expect(JSON.parse(result.body)).toMatchObject({ status: 'RECEIVED' });
    const put = ddb.commandCalls(PutCommand)[0]!.args[0].input;
    expect(put.Item).toMatchObject({
      status: 'RECEIVED',
      version: 1,
      gsi1pk: expect.stringMatching(/^STATUS#RECEIVED#[0-7]$/),
    });
    expect(put.ConditionExpression).toBe('attribute_not_exists(pk)');
    // Filed for search and under its applicant in one BatchWriteItem (the lookups, the request link and
    // the pair's mark).
    const filed = ddb.commandCalls(BatchWriteCommand);
    expect(filed).toHaveLength(1);
    const written = Object.values(filed[0]!.args[0].input.RequestItems ?? {}).flat();
    const keys = written.map((w) => String(w.PutRequest?.Item?.sk));
    expect(keys.filter((k) => k.startsWith('REQ#'))).toHaveLength(4);
    expect(keys.filter((k) => k.startsWith('PHONE#'))).toHaveLength(1);
    expect(written.map((w) => String(w.PutRequest?.Item?.pk).split('#')[0]).sort()).toEqual([
      'CITIZEN',
      'CITIZEN',
      'FIND',
      'FIND',
      'FIND',
    ]);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
  });

  it('an existing execution of the same name counts as started (a retried intake)', async () => {
    ddb.on(PutCommand).resolves({});
    ddb.on(BatchWriteCommand).resolves({});
    sfn.on(StartExecutionCommand).rejects(awsError('ExecutionAlreadyExists'));
    const result = (await createHandler(testDeps())(event(), context())) as { statusCode: number };
    expect(result.statusCode).toBe(202);
  });

  it('throttled DynamoDB is a plain 500 without internals, and no workflow starts', async () => {
    ddb.on(PutCommand).rejects(awsError('ProvisionedThroughputExceededException', 'secret internals'));
    const result = (await createHandler(testDeps())(event(), context())) as {
      statusCode: number;
      headers: Record<string, string>;
      body: string;
    };
    expect(result.statusCode).toBe(500);
    expect(result.headers['content-type']).toBe('application/problem+json');
    expect(result.body).not.toContain('internals');
    expect(result.body).not.toContain('Throughput');
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('an idempotency key held for another body is 422, and nothing else is written', async () => {
    // Prepare: Powertools' conditional put finds the key COMPLETED for another body's hash.
    const held = marshall({ pk: 'IDEM#x', sk: 'IDEM', status: 'COMPLETED', validation: 'another-hash' });
    raw
      .on(PutItemCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'held', $metadata: {}, Item: held }));
    // Act
    const result = (await createHandler(testDeps())(event({ 'idempotency-key': 'k-1' }), context())) as {
      statusCode: number;
    };
    // Assess
    expect(result.statusCode).toBe(422);
    expect(raw.commandCalls(PutItemCommand)[0]!.args[0].input.Item?.sk).toEqual({ S: 'IDEM' });
    expect(storePuts()).toHaveLength(0);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('an idempotency key whose first request still runs is 409 with Retry-After, and nothing is written', async () => {
    // Prepare: the key is held INPROGRESS for this very body (the hash Powertools computed for it).
    raw.on(PutItemCommand).callsFake((input: { Item: Record<string, { S?: string; N?: string }> }) => {
      const held = marshall({
        pk: 'IDEM#x',
        sk: 'IDEM',
        status: 'INPROGRESS',
        validation: input.Item.validation?.S,
        in_progress_expiration: Date.now() + 20_000,
      });
      throw new ConditionalCheckFailedException({ message: 'held', $metadata: {}, Item: held });
    });
    const deps = testDeps();
    // Act
    const result = (await createHandler(deps)(event({ 'idempotency-key': 'k-2' }), context())) as {
      statusCode: number;
      headers: Record<string, string>;
    };
    // Assess
    expect(result.statusCode).toBe(409);
    expect(result.headers['retry-after']).toBe('1');
    // The in-progress window Powertools wrote is the invocation's remaining time (the context's 30 s).
    const claim = raw.commandCalls(PutItemCommand)[0]!.args[0].input.Item!;
    const window = Number(claim.in_progress_expiration?.N) - Date.now();
    expect(window).toBeGreaterThan(25_000);
    expect(window).toBeLessThanOrEqual(30_000);
    expect(storePuts()).toHaveLength(0);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('past the rate limit: 429 with Retry-After, nothing stored, no workflow', async () => {
    const deps = memoryDeps();
    deps.config.rateLimitPerMinute = 1;
    const first = (await createHandler(deps)(event(), context())) as { statusCode: number };
    const second = (await createHandler(deps)(event(), context())) as {
      statusCode: number;
      headers: Record<string, string>;
    };
    expect(first.statusCode).toBe(202);
    expect(second.statusCode).toBe(429);
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(0);
    expect(deps.store.requests.size).toBe(1);
    expect(deps.workflow.executions.size).toBe(1);
  });

  it('stores the request and starts its workflow under the request id', async () => {
    const deps = memoryDeps();
    const result = (await createHandler(deps)(event(), context())) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(202);
    const { requestId } = JSON.parse(result.body) as { requestId: string };
    expect(deps.store.requests.get(requestId)).toMatchObject({
      status: 'RECEIVED',
      version: 1,
      proof: body.proof,
    });
    expect([...deps.workflow.executions.values()]).toEqual([{ requestId, running: true }]);
  });
});
