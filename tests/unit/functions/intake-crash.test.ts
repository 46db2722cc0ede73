/**
 * Intake's Idempotency-Key when the invocation that took the key died (kill -9, crash, timeout) before
 * Powertools marked the key COMPLETED: the real store (DynamoStore) and Powertools' DynamoDB persistence
 * over dynalite, the workflow in memory. The "crash" is a store whose `createRequest` never settles
 * (before or after the real write), so the in-progress record stays as a dead process leaves it; its
 * window is the context's remaining time, and the retry comes once the record's window has passed.
 */
import { createHash } from 'node:crypto';
import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '#functions/deps.ts';
import { createHandler } from '#functions/http/intake.ts';
import { demoScenarios } from '#local/demo/demo-scenarios.ts';
import { type LocalDynamo, start } from '#local/dynamodb.ts';
import { lambdaContext } from '#local/functions.ts';
import { deriveAccessToken, sha256Hex } from '#shared/certificates/ids-and-codes.ts';
import { DynamoStore } from '#shared/store/dynamo-store.ts';
import { IDEMPOTENCY_TTL_SECONDS, idempotencyPersistence } from '#shared/store/idempotency.ts';
import { InMemoryWorkflow } from '#tests/helpers/in-memory-workflow.ts';
import { httpEvent, testDeps } from './helpers.ts';

let dynamo: LocalDynamo;
let store: DynamoStore;

beforeAll(async () => {
  dynamo = await start({ tableName: 'certflow-intake-crash' });
  store = new DynamoStore(dynamo.rawClient, dynamo.tableName);
});
afterAll(async () => {
  await dynamo?.end();
});

const body = (id: string) => demoScenarios.find((s) => s.id === id)!.body;
const post = (key: string, b: unknown) =>
  httpEvent('POST', '/v1/requests', 'POST /v1/requests', { body: b, headers: { 'idempotency-key': key } });

type Answer = { statusCode: number; body: string; headers: Record<string, string> };

/** Deps of one intake "process" on the shared table (its own Powertools persistence and workflow double). */
function processDeps(storeOf: DynamoStore | ReturnType<typeof crashingStore>['store']) {
  const persistence = idempotencyPersistence(dynamo.rawClient, dynamo.tableName);
  const workflow = new InMemoryWorkflow();
  const deps = testDeps({ store: storeOf as Deps['store'], idempotency: () => persistence, workflow });
  return Object.assign(deps, { workflow });
}

/**
 * A store that "dies" in `createRequest`: `before` the request is written or `after`; `crashed` resolves
 * with the request id at that point, and the call never settles (the process is gone).
 */
function crashingStore(when: 'before' | 'after') {
  let reached: (requestId: string) => void = () => undefined;
  const crashed = new Promise<string>((resolve) => {
    reached = resolve;
  });
  const createRequest: DynamoStore['createRequest'] = async (record, event) => {
    if (when === 'after') await store.createRequest(record, event);
    reached(record.requestId);
    return new Promise<boolean>(() => undefined);
  };
  // Every other call goes to the real store (its methods use private fields: bound to it).
  const wrapped = new Proxy(store, {
    get: (target, name) => {
      if (name === 'createRequest') return createRequest;
      const value = Reflect.get(target, name, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: wrapped, crashed };
}

/** Powertools' record of `key` (pk IDEM#sha256 of the JSON key, base64; sk IDEM). */
async function powertoolsRecord(key: string) {
  const hash = createHash('sha256').update(JSON.stringify(key)).digest('base64');
  const { Item } = await dynamo.rawClient.send(
    new GetItemCommand({
      TableName: dynamo.tableName,
      Key: { pk: { S: `IDEM#${hash}` }, sk: { S: 'IDEM' } },
      ConsistentRead: true,
    }),
  );
  return Item && unmarshall(Item);
}

/** Waits until the in-progress window of the dead invocation's record has passed (its own timestamp). */
async function pastInProgressWindow(key: string) {
  const record = await powertoolsRecord(key);
  expect(record?.status).toBe('INPROGRESS');
  const until = Number(record?.in_progress_expiration);
  expect(until).toBeGreaterThan(0);
  while (Date.now() <= until) await new Promise((r) => setTimeout(r, until - Date.now() + 1));
}

/** Runs the intake in a process that dies at `when`; returns the request id it was filing. */
async function crashedIntake(key: string, b: unknown, when: 'before' | 'after', windowMs = 50) {
  const crashing = crashingStore(when);
  // Middy answers a timeout when the window ends (as Lambda would end the invocation); the call hangs.
  createHandler(processDeps(crashing.store))(post(key, b), lambdaContext('Intake', windowMs)).catch(
    () => undefined,
  );
  return crashing.crashed;
}

async function requestIds(): Promise<string[]> {
  const out = await dynamo.rawClient.send(
    new ScanCommand({
      TableName: dynamo.tableName,
      FilterExpression: 'sk = :r',
      ExpressionAttributeValues: { ':r': { S: 'REQUEST' } },
    }),
  );
  return (out.Items ?? []).map((i) => String(unmarshall(i).requestId)).sort();
}

describe('Idempotency-Key after an intake that died before answering', () => {
  it('crash after the request was stored: the retry answers with the first request and its token, filing none', async () => {
    // Prepare: the first invocation stores the request and dies.
    const key = 'crash-after-request';
    const firstId = await crashedIntake(key, body('name-change'), 'after');
    const before = await requestIds();
    expect(before).toContain(firstId);
    await pastInProgressWindow(key);
    // Act: the client retries with the same key and body (a new invocation).
    const deps = processDeps(store);
    const retry = (await createHandler(deps)(
      post(key, body('name-change')),
      lambdaContext('Intake'),
    )) as Answer;
    // Assess
    expect(retry.statusCode).toBe(202);
    const answer = JSON.parse(retry.body) as { requestId: string; accessToken: string };
    expect(answer.requestId).toBe(firstId);
    expect(answer.accessToken).toBe(deriveAccessToken(deps.config.tokenSecret, firstId));
    expect((await store.getRequest(firstId))?.accessTokenHash).toBe(sha256Hex(answer.accessToken));
    expect(await requestIds()).toEqual(before);
    // Its workflow is started (the dead invocation never got there), and the key is now COMPLETED.
    expect([...deps.workflow.executions.values()]).toEqual([{ requestId: firstId, running: true }]);
    expect(await powertoolsRecord(key)).toMatchObject({ status: 'COMPLETED', data: { requestId: firstId } });
    // Filed for search and lost-link recovery (a crash between the request and its filing is repaired).
    expect(await store.findBySearchKey(`REF#${firstId.slice(-8)}`)).toEqual([firstId]);
    // The link: under the key's SHA-256 (hex), never the key itself, 24 real hours.
    const { Item } = await dynamo.rawClient.send(
      new GetItemCommand({
        TableName: dynamo.tableName,
        Key: { pk: { S: `IDEM#${sha256Hex(key)}` }, sk: { S: 'LINK' } },
        ConsistentRead: true,
      }),
    );
    expect(unmarshall(Item ?? {})).toMatchObject({ requestId: firstId, keyHash: sha256Hex(key) });
    expect(Number(unmarshall(Item ?? {}).expiresAt)).toBeGreaterThan(
      Date.now() / 1000 + IDEMPOTENCY_TTL_SECONDS - 60,
    );
    expect(JSON.stringify(Item)).not.toContain(key);
  });

  it('crash between the link and the request: the retry stores the request under the linked id', async () => {
    const key = 'crash-before-request';
    const linkedId = await crashedIntake(key, body('gender-change'), 'before');
    const before = await requestIds();
    expect(before).not.toContain(linkedId);
    await pastInProgressWindow(key);
    const deps = processDeps(store);
    const retry = (await createHandler(deps)(
      post(key, body('gender-change')),
      lambdaContext('Intake'),
    )) as Answer;
    expect(retry.statusCode).toBe(202);
    expect(JSON.parse(retry.body)).toMatchObject({
      requestId: linkedId,
      accessToken: deriveAccessToken(deps.config.tokenSecret, linkedId),
    });
    expect(await requestIds()).toEqual([...before, linkedId].sort());
    expect(await store.getRequest(linkedId)).toMatchObject({ status: 'RECEIVED', version: 1 });
    expect(deps.workflow.executions.get(linkedId)).toEqual({ requestId: linkedId, running: true });
    // Another retry answers from Powertools' COMPLETED record: still the one request.
    const again = (await createHandler(processDeps(store))(
      post(key, body('gender-change')),
      lambdaContext('Intake'),
    )) as Answer;
    expect(JSON.parse(again.body)).toMatchObject({ requestId: linkedId });
    expect(await requestIds()).toEqual([...before, linkedId].sort());
  });

  it('after a crash, a retry with another body is 422 and files nothing; the first body still gets its request', async () => {
    const key = 'crash-other-body';
    const firstId = await crashedIntake(key, body('name-change'), 'after');
    await pastInProgressWindow(key);
    const before = await requestIds();
    const other = (await createHandler(processDeps(store))(
      post(key, body('gender-change')),
      lambdaContext('Intake'),
    )) as Answer;
    expect(other.statusCode).toBe(422);
    expect(other.headers['content-type']).toBe('application/problem+json');
    expect(await requestIds()).toEqual(before);
    const same = (await createHandler(processDeps(store))(
      post(key, body('name-change')),
      lambdaContext('Intake'),
    )) as Answer;
    expect(same.statusCode).toBe(202);
    expect(JSON.parse(same.body)).toMatchObject({ requestId: firstId });
    expect(await requestIds()).toEqual(before);
  });

  it('while the dead invocation’s window lasts the retry is 409, as before', async () => {
    const key = 'crash-in-window';
    await crashedIntake(key, body('name-change'), 'after', 30_000);
    const before = await requestIds();
    const retry = (await createHandler(processDeps(store))(
      post(key, body('name-change')),
      lambdaContext('Intake'),
    )) as Answer;
    expect(retry.statusCode).toBe(409);
    expect(retry.headers['retry-after']).toBe('1');
    expect(await requestIds()).toEqual(before);
  });
});

describe('DynamoStore.linkIdempotencyKey', () => {
  const link = (requestId: string, expiresAt: number) => ({
    keyHash: sha256Hex(`link-${expiresAt}`),
    requestId,
    bodyHash: 'b',
    acceptedAt: '2026-11-23T02:00:00.000Z',
    expiresAt,
  });

  it('keeps the first link; a second gets it back', async () => {
    const now = 1_800_000_000;
    expect(await store.linkIdempotencyKey(link('R-first', now + IDEMPOTENCY_TTL_SECONDS), now)).toEqual({
      linked: true,
      link: link('R-first', now + IDEMPOTENCY_TTL_SECONDS),
    });
    expect(await store.linkIdempotencyKey(link('R-second', now + IDEMPOTENCY_TTL_SECONDS), now)).toEqual({
      linked: false,
      link: link('R-first', now + IDEMPOTENCY_TTL_SECONDS),
    });
  });

  it('a link past its expiresAt counts as absent (TTL deletes it later)', async () => {
    const now = 1_800_000_000;
    await store.linkIdempotencyKey(link('R-old', now + 10), now);
    const again = { ...link('R-new', now + 10), expiresAt: now + 11 + IDEMPOTENCY_TTL_SECONDS };
    expect(await store.linkIdempotencyKey(again, now + 11)).toEqual({ linked: true, link: again });
  });
});
