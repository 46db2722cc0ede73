/**
 * The intake's Idempotency-Key on Powertools idempotency (shared/store/idempotency.ts), against the local
 * stack: the record's place in the app table, concurrent retries, its real-time expiry beside the
 * stack's test clock, and a retry after the intake that took the key died before answering.
 */
import { createHash } from 'node:crypto';
import { DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FunctionSpec, functions } from '#functions/function-list.ts';
import { createHandler } from '#functions/http/intake.ts';
import { functionDeps, lambdaContext } from '#local/functions.ts';
import { toPayloadV2 } from '#local/gateway/request-event.ts';
import { invokingFunction } from '#local/key-guard.ts';
import type { LocalStack } from '#local/stack.ts';
import type { RequestEvent } from '#shared/store/model.ts';
import type { CertflowStore } from '#shared/store/port.ts';
import { advanceClock, call, scenario, startTestStack, waitFinal } from './helpers.ts';

let stack: LocalStack;
let dynamo: DynamoDBClient;

beforeAll(async () => {
  stack = await startTestStack();
  dynamo = new DynamoDBClient({
    endpoint: stack.endpoints.dynamodb,
    region: 'cn-north-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(async () => {
  dynamo?.destroy();
  await stack?.end();
});

const post = (key: string, body: unknown) =>
  call(stack, 'POST', '/v1/requests', { body, headers: { 'idempotency-key': key } });

describe('Idempotency-Key on Powertools idempotency', () => {
  it('keeps one COMPLETED record per key in the app table: pk IDEM#sha256, sk IDEM, TTL expiresAt 24 h on', async () => {
    // Prepare
    const key = `layout-${Date.now()}`;
    const before = Math.floor(Date.now() / 1000);
    // Act
    const first = await post(key, scenario('name-change').body);
    // Assess
    expect(first.status).toBe(202);
    const hash = createHash('sha256').update(JSON.stringify(key)).digest('base64');
    const { Item } = await dynamo.send(
      new GetItemCommand({
        TableName: stack.deps.config.tableName,
        Key: { pk: { S: `IDEM#${hash}` }, sk: { S: 'IDEM' } },
        ConsistentRead: true,
      }),
    );
    const record = unmarshall(Item ?? {});
    expect(record.status).toBe('COMPLETED');
    expect(record.data).toEqual({ requestId: first.body.requestId });
    const expiresAt = Number(record.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 24 * 3600 - 1);
    expect(expiresAt).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 24 * 3600 + 1);
    // The key header itself is never stored, only its hash; the access token neither.
    expect(JSON.stringify(Item)).not.toContain(key);
    expect(JSON.stringify(Item)).not.toContain(first.body.accessToken);
  });

  it('concurrent retries with one key: one request, every 202 names it, any other answer is a 409 with Retry-After', async () => {
    const key = `burst-${Date.now()}`;
    const body = scenario('gender-change').body;
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(key, body)));
    const accepted = answers.filter((a) => a.status === 202);
    const busy = answers.filter((a) => a.status !== 202);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    expect(new Set(accepted.map((a) => a.body.requestId)).size).toBe(1);
    for (const a of busy) {
      expect(a.status).toBe(409);
      expect(a.headers.get('retry-after')).toBe('1');
      expect(a.headers.get('content-type')).toContain('application/problem+json');
    }
    const { requestId, accessToken } = accepted[0]!.body;
    const again = await post(key, body);
    expect(again).toMatchObject({ status: 202, body: { requestId, accessToken } });
    const view = await waitFinal(stack, requestId, accessToken);
    expect(view.history.filter((e: RequestEvent) => e.type === 'RECEIVED')).toHaveLength(1);
  });

  it('the key lives 24 real hours: advancing the test clock two days does not expire it', async () => {
    const key = `clock-${Date.now()}`;
    const body = scenario('name-change').body;
    const first = await post(key, body);
    await waitFinal(stack, first.body.requestId, stack.credentials.officerToken);
    await advanceClock(stack, 'P2D');
    // The stack's clock days past the key's expiresAt (24 real hours on), wherever the pinned clock
    // started; then the local TTL stand-in runs (as its hourly schedule does): the key is kept.
    const ahead = new Date(Date.now() + 3 * 86_400_000).toISOString();
    expect((await call(stack, 'POST', '/_local/clock', { body: { set: ahead } })).status).toBe(200);
    await stack.expireNow();
    const again = await post(key, body);
    expect(again.status).toBe(202);
    expect(again.body.requestId).toBe(first.body.requestId);
    expect((await post(key, scenario('gender-change').body)).status).toBe(422);
  });
});

/** Powertools' record of `key` on the stack's table. */
async function powertoolsRecord(key: string) {
  const hash = createHash('sha256').update(JSON.stringify(key)).digest('base64');
  const { Item } = await dynamo.send(
    new GetItemCommand({
      TableName: stack.deps.config.tableName,
      Key: { pk: { S: `IDEM#${hash}` }, sk: { S: 'IDEM' } },
      ConsistentRead: true,
    }),
  );
  return Item && unmarshall(Item);
}

/** The ids of every request item in the stack's table. */
async function storedRequestIds(): Promise<string[]> {
  const ids: string[] = [];
  let start: Record<string, never> | undefined;
  do {
    const out = await dynamo.send(
      new ScanCommand({
        TableName: stack.deps.config.tableName,
        FilterExpression: 'sk = :r',
        ExpressionAttributeValues: { ':r': { S: 'REQUEST' } },
        ExclusiveStartKey: start,
      }),
    );
    for (const i of out.Items ?? []) ids.push(String(unmarshall(i).requestId));
    start = out.LastEvaluatedKey as typeof start;
  } while (start);
  return ids.sort();
}

/**
 * The first half of an intake that dies: the stack's Intake function (its deps, under the key guard as
 * Intake) runs on the stack's table with the Lambda window `windowMs`, and its process "dies" in
 * `createRequest` — `before` the request is written or `after` — never to answer or finish; Powertools'
 * record stays INPROGRESS as a kill -9 leaves it. Resolves with the request id it was filing.
 */
function dyingIntake(key: string, body: unknown, when: 'before' | 'after', windowMs = 100): Promise<string> {
  const spec = (functions as readonly FunctionSpec[]).find((f) => f.name === 'Intake')!;
  const real = stack.deps.store;
  return new Promise<string>((died) => {
    const store = new Proxy(real, {
      get: (target, name) => {
        if (name === 'createRequest')
          return (async (record, event) => {
            if (when === 'after') await target.createRequest(record, event);
            died(record.requestId);
            return new Promise<boolean>(() => undefined);
          }) satisfies CertflowStore['createRequest'];
        const value = Reflect.get(target, name, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const handler = createHandler({ ...functionDeps(spec, stack.deps), store });
    const event = toPayloadV2(
      {
        method: 'POST',
        url: '/v1/requests',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: Buffer.from(JSON.stringify(body)),
        sourceIp: '127.0.0.1',
        now: Date.now(),
      },
      { routeKey: 'POST /v1/requests' },
    );
    // Middy answers the timeout when the window ends (Lambda would end the invocation); nobody hears it.
    invokingFunction
      .run('Intake', () => handler(event, lambdaContext('Intake', windowMs)))
      .catch(() => undefined);
  });
}

/** Waits until the dead invocation's in-progress window (its record's own timestamp) has passed. */
async function pastInProgressWindow(key: string) {
  const record = await powertoolsRecord(key);
  expect(record?.status).toBe('INPROGRESS');
  const until = Number(record?.in_progress_expiration);
  while (Date.now() <= until) await new Promise((r) => setTimeout(r, until - Date.now() + 1));
}

describe('Idempotency-Key retried after the intake that took it died', () => {
  it('after the request was stored: the retry answers with that request and a working token; no second request', async () => {
    // Prepare: the first intake stores the request and dies before answering.
    const key = `died-after-${Date.now()}`;
    const body = scenario('name-change').body;
    const firstId = await dyingIntake(key, body, 'after');
    const before = await storedRequestIds();
    expect(before).toContain(firstId);
    // Act: the client retries through the API once the window has passed.
    await pastInProgressWindow(key);
    const retry = await post(key, body);
    // Assess: the first request, its token works, nothing else filed, its workflow runs to the end.
    expect(retry.status).toBe(202);
    expect(retry.body.requestId).toBe(firstId);
    const view = await waitFinal(stack, firstId, retry.body.accessToken);
    expect(view.history.filter((e: RequestEvent) => e.type === 'RECEIVED')).toHaveLength(1);
    expect(await storedRequestIds()).toEqual(before);
    expect(await post(key, body)).toMatchObject({ status: 202, body: { requestId: firstId } });
    // Another body with the key stays a 422, before and after its record is COMPLETED.
    expect((await post(key, scenario('gender-change').body)).status).toBe(422);
    expect(await storedRequestIds()).toEqual(before);
  });

  it('between the link and the request: the retry files the request under the linked id', async () => {
    const key = `died-before-${Date.now()}`;
    const body = scenario('gender-change').body;
    const linkedId = await dyingIntake(key, body, 'before');
    const before = await storedRequestIds();
    expect(before).not.toContain(linkedId);
    await pastInProgressWindow(key);
    // A retry with another body first: 422, nothing filed.
    expect((await post(key, scenario('name-change').body)).status).toBe(422);
    expect(await storedRequestIds()).toEqual(before);
    const retry = await post(key, body);
    expect(retry.status).toBe(202);
    expect(retry.body.requestId).toBe(linkedId);
    await waitFinal(stack, linkedId, retry.body.accessToken);
    expect(await storedRequestIds()).toEqual([...before, linkedId].sort());
  });
});
