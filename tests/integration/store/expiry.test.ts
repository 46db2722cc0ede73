/**
 * Exchange records expire by policy (issue 18): they carry the TTL attribute (AWS deletes them), and the
 * local stack's expiry sweep deletes what has expired on its clock (dynalite ignores TTL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, start } from '#local/dynamodb.ts';
import { sweepExpired } from '#local/expiry.ts';
import { DynamoStore, EXCHANGE_RECORD_RETENTION_DAYS } from '#shared/store/dynamo-store.ts';
import type { ExchangeRecord } from '#shared/store/model.ts';
import { plainDocumentCalls } from '#shared/store/plain-document.ts';

let dynamo: LocalDynamo;
let store: DynamoStore;

beforeAll(async () => {
  dynamo = await start();
  store = new DynamoStore(dynamo.client, dynamo.tableName);
});
afterAll(async () => {
  await dynamo.end();
});

const record = (id: string, answeredAt: string): ExchangeRecord => ({
  exchangeId: id,
  department: 'COURT',
  origin: 'QUERY',
  mechanism: 'AD_HOC_VERIFICATION',
  question: 'q',
  subject: {},
  answer: {},
  source: 's',
  answeredAt,
});

describe('exchange record expiry', () => {
  it('keeps a record for the retention period, then the local sweep deletes it', async () => {
    await store.putExchangeRecord(record('x_old', '2023-01-01T00:00:00.000Z'));
    await store.putExchangeRecord(record('x_new', '2026-11-01T00:00:00.000Z'));
    const doc = plainDocumentCalls(dynamo.client);
    const now = Date.parse('2026-11-30T00:00:00.000Z');
    expect(Date.parse('2023-01-01') + EXCHANGE_RECORD_RETENTION_DAYS * 86_400_000).toBeLessThan(now);
    expect(await sweepExpired(doc, dynamo.tableName, now)).toBe(1);
    expect(await store.getExchangeRecord('x_old')).toBeUndefined();
    expect(await store.getExchangeRecord('x_new')).toMatchObject({ exchangeId: 'x_new' });
    // Nothing else expired: a second sweep deletes nothing.
    expect(await sweepExpired(doc, dynamo.tableName, now)).toBe(0);
  });
});

describe('idempotency key expiry', () => {
  it('Powertools writes each key with the TTL attribute 24 h ahead; the local sweep deletes it after', async () => {
    const { IdempotencyConfig } = await import('@aws-lambda-powertools/idempotency');
    const { idempotencyPersistence, IDEMPOTENCY_KEY_PREFIX, IDEMPOTENCY_TTL_SECONDS } = await import(
      '#shared/store/idempotency.ts'
    );
    const persistence = idempotencyPersistence(dynamo.client, dynamo.tableName);
    persistence.configure({
      config: new IdempotencyConfig({ expiresAfterSeconds: IDEMPOTENCY_TTL_SECONDS }),
      keyPrefix: IDEMPOTENCY_KEY_PREFIX,
    });
    const before = Date.now();
    await persistence.saveInProgress({ key: 'k-1' }, 10_000);
    const doc = plainDocumentCalls(dynamo.client);
    const { ScanCommand } = await import('@aws-sdk/lib-dynamodb');
    const items = (await doc.send(new ScanCommand({ TableName: dynamo.tableName }))).Items ?? [];
    const idem = items.find((i) => String(i.pk).startsWith(`${IDEMPOTENCY_KEY_PREFIX}#`));
    expect(idem?.sk).toBe(IDEMPOTENCY_KEY_PREFIX);
    const expiresAt = Number(idem?.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) + IDEMPOTENCY_TTL_SECONDS);
    expect(expiresAt).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + IDEMPOTENCY_TTL_SECONDS);
    // Not yet expired an hour on; gone after its 24 hours.
    expect(await sweepExpired(doc, dynamo.tableName, before + 3600_000)).toBe(0);
    expect(await sweepExpired(doc, dynamo.tableName, (expiresAt + 1) * 1000)).toBeGreaterThanOrEqual(1);
    const after = (await doc.send(new ScanCommand({ TableName: dynamo.tableName }))).Items ?? [];
    expect(after.some((i) => String(i.pk).startsWith(`${IDEMPOTENCY_KEY_PREFIX}#`))).toBe(false);
  });

  it('keeps a key for its 24 real hours when the stack clock runs ahead (a test clock moved on)', async () => {
    const { IdempotencyConfig } = await import('@aws-lambda-powertools/idempotency');
    const { idempotencyPersistence, IDEMPOTENCY_KEY_PREFIX, IDEMPOTENCY_TTL_SECONDS } = await import(
      '#shared/store/idempotency.ts'
    );
    const persistence = idempotencyPersistence(dynamo.client, dynamo.tableName);
    persistence.configure({
      config: new IdempotencyConfig({ expiresAfterSeconds: IDEMPOTENCY_TTL_SECONDS }),
      keyPrefix: IDEMPOTENCY_KEY_PREFIX,
    });
    const real = Date.now();
    await persistence.saveInProgress({ key: 'k-ahead' }, 10_000);
    // An exchange record whose retention ended on the stack's clock, not on real time.
    const stackNow = real + 16 * 86_400_000;
    const answeredAt = new Date(stackNow - (EXCHANGE_RECORD_RETENTION_DAYS + 1) * 86_400_000).toISOString();
    await store.putExchangeRecord(record('x_ahead', answeredAt));
    const doc = plainDocumentCalls(dynamo.client);
    const { ScanCommand } = await import('@aws-sdk/lib-dynamodb');
    const keys = async () =>
      ((await doc.send(new ScanCommand({ TableName: dynamo.tableName }))).Items ?? []).filter((i) =>
        String(i.pk).startsWith(`${IDEMPOTENCY_KEY_PREFIX}#`),
      ).length;
    expect(await keys()).toBe(1);
    // The stack's clock 16 days ahead, real time an hour on: the exchange record goes, the key stays.
    expect(await sweepExpired(doc, dynamo.tableName, stackNow, real + 3600_000)).toBe(1);
    expect(await store.getExchangeRecord('x_ahead')).toBeUndefined();
    expect(await keys()).toBe(1);
    // 24 real hours on, it goes.
    expect(await sweepExpired(doc, dynamo.tableName, stackNow, real + 25 * 3600_000)).toBe(1);
    expect(await keys()).toBe(0);
  });
});
