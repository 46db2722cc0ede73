/**
 * The counters the metrics read (shared/store/counters.ts, issue 18): maintained as requests move, each
 * transition counted once, and read with a handful of small reads however many requests there are.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, start } from '#local/dynamodb.ts';
import { DynamoStore } from '#shared/store/dynamo-store.ts';
import { VersionConflictError } from '#shared/store/errors.ts';
import { request } from '#tests/helpers/domain-requests.ts';

let dynamo: LocalDynamo;
let store: DynamoStore;

beforeAll(async () => {
  dynamo = await start();
  store = new DynamoStore(dynamo.client, dynamo.tableName);
});
afterAll(async () => {
  await dynamo.end();
});

async function received(id: string, station = 'CC-YHL') {
  await store.createRequest(
    {
      requestId: id,
      status: 'RECEIVED',
      proof: 'KINSHIP',
      input: request({ proof: 'NAME' }),
      accessTokenHash: 'h',
      acceptedAt: '2026-11-20T01:00:00.000Z',
      updatedAt: '2026-11-20T01:00:00.000Z',
      escalationLevel: 0,
      station,
    },
    { type: 'RECEIVED', actor: 'applicant' },
  );
  return (await store.getRequest(id))!;
}

describe('status and finished counters', () => {
  it('move with each transition, once, and answer countByStatus / countFinishedSince', async () => {
    for (let i = 0; i < 30; i += 1) await received(`c${i}`, i % 2 ? 'CC-YHL' : 'CC-NGA');
    expect((await store.countByStatus('RECEIVED')).count).toBe(30);
    // 10 investigated, 5 of them issued on time, 2 refused late; 3 declined.
    for (let i = 0; i < 10; i += 1) {
      const r = await store.getRequest(`c${i}`);
      const v2 = await store.updateRequest(
        r!,
        { status: 'INVESTIGATING', outcome: 'INVESTIGATE', deadline: '2026-11-27T15:59:59.999Z' },
        { type: 'INVESTIGATING', actor: 'system' },
        '2026-11-20T01:00:01.000Z',
      );
      if (i < 5)
        await store.updateRequest(
          v2,
          { status: 'ISSUED', onTime: true },
          { type: 'ISSUED', actor: 'officer:x' },
          '2026-11-21T03:00:00.000Z',
        );
      else if (i < 7) {
        await store.updateRequest(
          v2,
          { status: 'REFUSED', onTime: false },
          { type: 'REFUSED', actor: 'officer:x' },
          '2026-11-22T18:00:00.000Z',
        );
        // A writer holding the old version loses, and counts nothing.
        await expect(
          store.updateRequest(v2, { status: 'ISSUED' }, { type: 'ISSUED', actor: 'x' }, 't'),
        ).rejects.toBeInstanceOf(VersionConflictError);
      }
    }
    for (let i = 10; i < 13; i += 1) {
      const r = await store.getRequest(`c${i}`);
      await store.updateRequest(
        r!,
        { status: 'DECLINED', outcome: 'DECLINED_NO_LEGAL_BASIS' },
        { type: 'DECLINED', actor: 'system' },
        '2026-11-20T02:00:00.000Z',
      );
    }
    expect(await store.countByStatus('RECEIVED')).toMatchObject({ count: 17 });
    expect(await store.countByStatus('INVESTIGATING')).toEqual({
      count: 3,
      byOutcome: { INVESTIGATE: 3 },
      onTime: 0,
      late: 0,
    });
    expect(await store.countByStatus('ISSUED')).toEqual({
      count: 5,
      byOutcome: { INVESTIGATE: 5 },
      onTime: 5,
      late: 0,
    });
    expect(await store.countByStatus('REFUSED')).toMatchObject({ count: 2, late: 2 });
    // Beijing days (UTC+8): 18:00 UTC on the 22nd is the 23rd in Beijing.
    const beijing = (at: string) => new Date(Date.parse(at) + 8 * 3600_000).toISOString().slice(0, 10);
    expect(await store.countFinishedSince('REFUSED', '2026-11-20T00:00:00.000Z', beijing)).toEqual({
      '2026-11-23': { INVESTIGATE: 2 },
    });
    expect(await store.countFinishedSince('DECLINED', '2026-11-20T00:00:00.000Z', beijing)).toEqual({
      '2026-11-20': { DECLINED_NO_LEGAL_BASIS: 3 },
    });
    // `since` bounds the read: nothing finished on or after the 22nd was declined.
    expect(await store.countFinishedSince('DECLINED', '2026-11-22T00:00:00.000Z', beijing)).toEqual({});
  });
});
