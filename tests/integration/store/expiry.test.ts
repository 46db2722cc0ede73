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
