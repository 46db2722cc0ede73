/**
 * The intake's Idempotency-Key on Powertools idempotency (shared/store/idempotency.ts), against the local
 * stack: the record's place in the app table, concurrent retries, and its real-time expiry beside the
 * stack's test clock.
 */
import { createHash } from 'node:crypto';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack.ts';
import type { RequestEvent } from '#shared/store/model.ts';
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
