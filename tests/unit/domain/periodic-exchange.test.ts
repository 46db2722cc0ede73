import { describe, expect, it } from 'vitest';
import {
  afterFailedDelivery,
  batchId,
  batchMessage,
  feedPosition,
  MAX_BATCH_ATTEMPTS,
  periodicExchangeRecord,
  wants,
} from '#shared/domain/periodic-exchange.ts';
import type { FeedEntry } from '#shared/store/model.ts';

const entry: FeedEntry = {
  changeId: 'c-1',
  type: 'NAME_CHANGED',
  idNumber: '220102195002201052',
  name: '王建国',
  effectiveOn: '2026-11-22',
  station: 'CC-GLL',
  details: { from: '王建国', to: '王建华' },
  recordedAt: '2026-11-23T02:00:00.000Z',
  recordedBy: 'registry',
  department: 'HUMAN_RESOURCES',
  position: '2026-11-23T02:00:00.000Z#c-1',
};

describe('periodic exchange (定期交换)', () => {
  it('a subscription wants only its change types', () => {
    expect(wants(['DEATH'], 'DEATH')).toBe(true);
    expect(wants(['DEATH'], 'NAME_CHANGED')).toBe(false);
  });

  it('feed positions sort by time, then change id; batch ids are stable per department and span', () => {
    expect(
      feedPosition({ recordedAt: '2026-11-23T02:00:00.000Z', changeId: 'a' }) <
        feedPosition({ recordedAt: '2026-11-23T02:00:00.001Z', changeId: 'a' }),
    ).toBe(true);
    expect(batchId('A', 'p1', 'p2')).toBe(batchId('A', 'p1', 'p2'));
    expect(batchId('A', 'p1', 'p2')).not.toBe(batchId('B', 'p1', 'p2'));
    expect(batchId('A', 'p1', 'p2')).not.toBe(batchId('A', 'p1', 'p3'));
  });

  it('the message carries the full ID number the body registered; the record keeps it masked', () => {
    const message = batchMessage('HUMAN_RESOURCES', 'xb_1', [entry]);
    expect(message.changes[0]).toMatchObject({
      idNumber: '220102195002201052',
      exchangeId: 'p_HUMAN_RESOURCES_c-1',
    });
    const record = periodicExchangeRecord(entry, '2026-11-23T03:00:00.000Z', 'xb_1');
    expect(record).toMatchObject({
      exchangeId: 'p_HUMAN_RESOURCES_c-1',
      mechanism: 'PERIODIC_EXCHANGE',
      origin: 'SUBSCRIPTION',
      subject: { name: '王*国', idNumber: '220102********1052' },
      answer: { from: '王*国', to: '王*华', change: 'NAME_CHANGED' },
      reference: 'xb_1',
      station: 'CC-GLL',
    });
    expect(JSON.stringify(record)).not.toContain('220102195002201052');
  });

  it(`a batch is retried until ${MAX_BATCH_ATTEMPTS} attempts, then dead-lettered`, () => {
    expect([0, 1, 2].map(afterFailedDelivery)).toEqual(['RETRY', 'RETRY', 'DEAD_LETTER']);
  });
});
